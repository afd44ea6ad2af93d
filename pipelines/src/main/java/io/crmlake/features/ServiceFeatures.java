package io.crmlake.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Per-customer service history as of a date: tickets in the recent window, mean satisfaction ever. */
final class ServiceFeatures {
    private ServiceFeatures() {}

    static Dataset<Row> compute(FeatureInputs in, PointInTime t) {
        return in.tickets().where(t.known("created_ts")).groupBy("customer_id").agg(
                sum(when(t.recent("created_ts"), 1).otherwise(0)).cast("long").as("tickets_90d"),
                avg(col("satisfaction").cast("double")).as("avg_satisfaction"));
    }
}
