package io.crmlake.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-customer campaign engagement as of a date: email sends, open and click rates within the
 * recent window (rates are null when nothing was sent: no evidence is not zero interest), and
 * whether the customer ever unsubscribed.
 */
final class EngagementFeatures {
    private EngagementFeatures() {}

    static Dataset<Row> compute(FeatureInputs in, PointInTime t) {
        Dataset<Row> events = in.interactions().where(t.known("event_ts"));
        Column email = col("channel").equalTo("email").and(t.recent("event_ts"));
        return events.groupBy("customer_id").agg(
                sum(when(email.and(col("event_type").equalTo("sent")), 1).otherwise(0)).cast("long").as("email_sends_90d"),
                sum(when(email.and(col("event_type").equalTo("open")), 1).otherwise(0)).cast("long").as("email_opens_90d"),
                sum(when(email.and(col("event_type").equalTo("click")), 1).otherwise(0)).cast("long").as("email_clicks_90d"),
                max(col("event_type").equalTo("unsubscribe")).as("unsubscribed"));
    }

    /** opens / sends, or null without sends; capped at 1 since a mail can be opened twice. */
    static Column rate(String events) {
        return when(col("email_sends_90d").gt(0),
                org.apache.spark.sql.functions.least(org.apache.spark.sql.functions.lit(1.0),
                        col(events).cast("double").divide(col("email_sends_90d"))));
    }
}
