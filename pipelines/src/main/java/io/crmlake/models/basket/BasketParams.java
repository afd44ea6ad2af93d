package io.crmlake.models.basket;

import java.util.OptionalInt;

/**
 * Parameters of association-rule mining.
 *
 * @param lookbackDays  baskets come from the orders of this many dates ending with the as-of date
 * @param minSupport    an itemset must appear in at least this fraction of the baskets
 * @param minConfidence a rule must hold in at least this fraction of the baskets holding its antecedent
 * @param minLift       a rule is kept when its lift is at least this; 1 means "no better than chance"
 * @param maxRules      keep only this many rules with the highest lift, or all of them
 */
public record BasketParams(int lookbackDays, double minSupport, double minConfidence, double minLift,
                           OptionalInt maxRules) {
    public BasketParams {
        if (lookbackDays < 1) {
            throw new IllegalArgumentException("lookbackDays must be at least 1, got " + lookbackDays);
        }
        if (!(minSupport > 0 && minSupport <= 1)) {
            throw new IllegalArgumentException("minSupport must be in (0, 1], got " + minSupport);
        }
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("minConfidence must be in [0, 1], got " + minConfidence);
        }
        if (!(minLift >= 0)) {
            throw new IllegalArgumentException("minLift must not be negative, got " + minLift);
        }
        if (maxRules.isPresent() && maxRules.getAsInt() < 1) {
            throw new IllegalArgumentException("maxRules must be at least 1, got " + maxRules.getAsInt());
        }
    }

    public static BasketParams defaults() {
        return new BasketParams(180, 0.01, 0.2, 1.2, OptionalInt.empty());
    }

    public BasketParams withMaxRules(int max) {
        return new BasketParams(lookbackDays, minSupport, minConfidence, minLift, OptionalInt.of(max));
    }
}
