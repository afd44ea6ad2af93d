package io.crmlake.models.propensity;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.xxhash64;

import java.sql.Date;
import java.time.LocalDate;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.features.CustomerFeatures;
import io.crmlake.features.FeatureInputs;
import io.crmlake.features.FeatureParams;

/**
 * Labelled examples for one cut-off: each customer's features as of the cut-off, computed by the
 * same code as gold.customer_features (so nothing after the cut-off leaks in), and the label 1.0
 * when they completed an order in the {@code horizonDays} after it, (cut-off, cut-off + horizon],
 * else 0.0. Only completed orders count: a cancelled or returned order is not a purchase.
 */
public final class PropensityData {
    public static final String LABEL = "label";
    public static final String HOLDOUT = "holdout";

    private PropensityData() {}

    public static Dataset<Row> examples(FeatureInputs in, LocalDate cutoff, int horizonDays, FeatureParams featureParams,
            double holdoutShare) {
        Dataset<Row> features = CustomerFeatures.compute(in, cutoff, featureParams);
        Dataset<Row> bought = labels(in.orders(), cutoff, horizonDays);
        return features.join(bought, "customer_id", "left")
                .withColumn(LABEL, coalesce(col(LABEL), lit(0.0)))
                .withColumn(HOLDOUT, holdout(holdoutShare));
    }

    /** customer_id and label 1.0 for customers with a completed order in (cut-off, cut-off + horizon]. */
    public static Dataset<Row> labels(Dataset<Row> orders, LocalDate cutoff, int horizonDays) {
        Column day = to_date(col("order_ts"));
        return orders
                .where(col("status").equalTo("completed")
                        .and(day.gt(lit(Date.valueOf(cutoff))))
                        .and(day.leq(lit(Date.valueOf(cutoff.plusDays(horizonDays))))))
                .groupBy("customer_id")
                .agg(max(lit(1.0)).as(LABEL));
    }

    /**
     * Customers held out of training for the in-time check, chosen by a hash of their id so the
     * split is the same on every run and at every cut-off.
     */
    private static Column holdout(double share) {
        return abs(xxhash64(col("customer_id"))).mod(lit(10_000)).lt(lit(Math.round(share * 10_000)));
    }
}
