package io.crmlake.models.propensity;

import java.util.List;

/**
 * Settings of the purchase-propensity model.
 *
 * @param horizonDays   the label: did the customer complete an order within this many days after the cut-off
 * @param features      gold.customer_features columns the models use
 * @param maxIter       boosting rounds of the GBT
 * @param maxDepth      depth of each tree
 * @param stepSize      learning rate
 * @param holdoutShare  share of the training cut-off's customers held out (by a hash of the id) for the
 *                      in-time check
 * @param seed          random seed of the GBT's subsampling
 */
public record PropensityParams(int horizonDays, List<String> features, int maxIter, int maxDepth, double stepSize,
                               double holdoutShare, long seed) {
    public static final List<String> DEFAULT_FEATURES = List.of(
            "recency_days", "frequency", "monetary", "avg_order_value", "tenure_days", "orders_90d",
            "revenue_90d", "distinct_categories", "email_open_rate", "email_click_rate", "email_sends_90d",
            "tickets_90d", "avg_satisfaction", "cancelled_orders", "returned_orders", "avg_days_between_orders",
            "avg_items_per_order", "unsubscribed", "marketing_opt_in");

    public static PropensityParams defaults() {
        return new PropensityParams(30, DEFAULT_FEATURES, 40, 4, 0.1, 0.2, 42L);
    }

    /** The parameters that define a model, as stable text for its version and the registry. */
    public String describe() {
        return String.format("{\"horizon_days\":%d,\"max_iter\":%d,\"max_depth\":%d,\"step_size\":%s,\"holdout_share\":%s,\"seed\":%d,\"features\":[%s]}",
                horizonDays, maxIter, maxDepth, stepSize, holdoutShare, seed,
                String.join(",", features.stream().map(f -> "\"" + f + "\"").toList()));
    }
}
