package io.crmlake.models.recommend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters of the recommender.
 *
 * @param rank             number of latent factors of ALS
 * @param maxIter          ALS iterations
 * @param regParam         ALS regularisation
 * @param alpha            implicit-feedback confidence: a purchase strength s counts with weight 1 + alpha·s
 * @param halfLifeDays     a purchase this many days old weighs half as much as one on the as-of date
 * @param topN             recommendations per customer
 * @param excludePurchased never recommend a product the customer already bought
 * @param holdoutDays      evaluation: the last this many days before the as-of date are held out
 * @param k                evaluation: the cut-off of precision@k, recall@k and MAP@k
 * @param seed             ALS random seed, so a re-run gives the same factors
 * @param popularityDays   popularity (the fallback for new customers and the baseline) counts the
 *                         distinct buyers of each product over this many dates ending with the as-of date
 */
public record RecommendParams(int rank, int maxIter, double regParam, double alpha, double halfLifeDays, int topN,
                              boolean excludePurchased, int holdoutDays, int k, long seed, int popularityDays) {
    public RecommendParams {
        positive("rank", rank);
        positive("maxIter", maxIter);
        positive("topN", topN);
        positive("holdoutDays", holdoutDays);
        positive("k", k);
        positive("popularityDays", popularityDays);
        if (!(regParam >= 0) || !(alpha >= 0)) {
            throw new IllegalArgumentException("regParam and alpha must not be negative, got " + regParam + ", " + alpha);
        }
        if (!(halfLifeDays > 0)) {
            throw new IllegalArgumentException("halfLifeDays must be positive, got " + halfLifeDays);
        }
    }

    public static RecommendParams defaults() {
        return new RecommendParams(10, 10, 0.1, 10.0, 90.0, 10, true, 28, 10, 42L, 90);
    }

    /** These model parameters with {@code other}'s evaluation settings: to measure two models on one hold-out. */
    public RecommendParams evaluatedAs(RecommendParams other) {
        return new RecommendParams(rank, maxIter, regParam, alpha, halfLifeDays, topN, other.excludePurchased,
                other.holdoutDays, other.k, seed, other.popularityDays);
    }

    /** Every parameter by its conf name: the registry's params JSON, from which {@link #fromMap} reads them back. */
    public Map<String, Object> toMap() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("rank", rank);
        p.put("max_iter", maxIter);
        p.put("reg_param", regParam);
        p.put("alpha", alpha);
        p.put("half_life_days", halfLifeDays);
        p.put("top_n", topN);
        p.put("exclude_purchased", excludePurchased);
        p.put("holdout_days", holdoutDays);
        p.put("k", k);
        p.put("seed", seed);
        p.put("popularity_days", popularityDays);
        return p;
    }

    /** The parameters recorded by {@link #toMap} (e.g. parsed from the registry); missing ones from {@code fallback}. */
    public static RecommendParams fromMap(Map<String, Object> p, RecommendParams fallback) {
        return new RecommendParams(
                number(p, "rank", fallback.rank()).intValue(),
                number(p, "max_iter", fallback.maxIter()).intValue(),
                number(p, "reg_param", fallback.regParam()).doubleValue(),
                number(p, "alpha", fallback.alpha()).doubleValue(),
                number(p, "half_life_days", fallback.halfLifeDays()).doubleValue(),
                number(p, "top_n", fallback.topN()).intValue(),
                p.get("exclude_purchased") instanceof Boolean b ? b : fallback.excludePurchased(),
                number(p, "holdout_days", fallback.holdoutDays()).intValue(),
                number(p, "k", fallback.k()).intValue(),
                number(p, "seed", fallback.seed()).longValue(),
                number(p, "popularity_days", fallback.popularityDays()).intValue());
    }

    private static Number number(Map<String, Object> p, String key, Number fallback) {
        return p.get(key) instanceof Number n ? n : fallback;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
