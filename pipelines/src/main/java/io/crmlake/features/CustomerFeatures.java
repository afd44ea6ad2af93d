package io.crmlake.features;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * gold.customer_features: one row per customer as of a date, point in time — nothing dated after
 * the as-of date (orders, events, tickets, sign-ups) influences any value, so the same code can
 * build training features for a past cut-off without leakage.
 *
 * <ul>
 * <li>Customers: every customer with signup_date on or before the as-of date (or none).</li>
 * <li>Purchases are completed orders. recency_days: days from the last one to the as-of date
 *     (null if none); frequency: their count; monetary: their total_amount net of credit notes
 *     (cancelled or returned orders with a negative amount), 0 if none; avg_order_value:
 *     monetary / frequency (null if none).</li>
 * <li>Cancelled and returned orders with a positive amount add nothing to RFM or revenue; they
 *     are counted in cancelled_orders and returned_orders (credit notes among the returned);
 *     return_rate = value returned / value sold (see {@link OrderFeatures}), null when nothing was sold.</li>
 * <li>Guest orders (no customer_id) belong to no customer.</li>
 * <li>Recent window (recent-days, default 90): the as-of date and the days before it, so an
 *     order exactly 90 days before the as-of date is outside, 89 days before is inside.
 *     orders_90d, revenue_90d, tickets_90d, email_sends_90d and the email rates use it.</li>
 * <li>email_open_rate / email_click_rate: opens / sends and clicks / sends of email events in the
 *     window, capped at 1; null when nothing was sent.</li>
 * <li>avg_satisfaction: mean of rated tickets ever (null if none); unsubscribed: any unsubscribe
 *     event ever.</li>
 * <li>Counts are 0, not null, where there is nothing to count.</li>
 * </ul>
 */
public final class CustomerFeatures {
    /** Output columns in order: the gold.customer_features contract. */
    public static final List<String> COLUMNS = List.of(
            "customer_id", "as_of_date", "recency_days", "frequency", "monetary", "avg_order_value",
            "tenure_days", "orders_90d", "revenue_90d", "distinct_categories", "email_open_rate",
            "email_click_rate", "tickets_90d", "avg_satisfaction", "cancelled_orders", "returned_orders",
            "return_rate", "avg_days_between_orders", "avg_items_per_order", "email_sends_90d",
            "unsubscribed", "marketing_opt_in");

    private CustomerFeatures() {}

    public static Dataset<Row> compute(FeatureInputs in, LocalDate asOf, FeatureParams params) {
        PointInTime t = new PointInTime(asOf, params.recentDays());
        Dataset<Row> customers = in.customers()
                .where(col("signup_date").isNull().or(col("signup_date").leq(t.asOfLiteral())))
                .select("customer_id", "signup_date", "marketing_opt_in");
        Dataset<Row> joined = customers
                .join(OrderFeatures.compute(in, t), "customer_id", "left")
                .join(EngagementFeatures.compute(in, t), "customer_id", "left")
                .join(ServiceFeatures.compute(in, t), "customer_id", "left");
        Column frequency = coalesce(col("frequency"), lit(0L));
        Column monetary = coalesce(col("monetary_raw"), lit(0)).cast(DataTypes.createDecimalType(14, 2));
        Column returned = coalesce(col("returned_orders"), lit(0L));
        return joined.select(
                col("customer_id"),
                t.asOfLiteral().as("as_of_date"),
                col("recency_days").cast("int").as("recency_days"),
                frequency.as("frequency"),
                monetary.as("monetary"),
                when(frequency.gt(0), monetary.divide(frequency)).cast(DataTypes.createDecimalType(12, 2)).as("avg_order_value"),
                datediff(t.asOfLiteral(), col("signup_date")).as("tenure_days"),
                zero("orders_90d"),
                coalesce(col("revenue_90d_raw"), lit(0)).cast(DataTypes.createDecimalType(14, 2)).as("revenue_90d"),
                zero("distinct_categories"),
                EngagementFeatures.rate("email_opens_90d").as("email_open_rate"),
                EngagementFeatures.rate("email_clicks_90d").as("email_click_rate"),
                zero("tickets_90d"),
                col("avg_satisfaction"),
                zero("cancelled_orders"),
                returned.as("returned_orders"),
                col("return_rate"),
                col("avg_days_between_orders"),
                col("avg_items_per_order"),
                zero("email_sends_90d"),
                coalesce(col("unsubscribed"), lit(false)).as("unsubscribed"),
                col("marketing_opt_in"));
    }

    private static Column zero(String count) {
        return coalesce(col(count), lit(0L)).cast("long").as(count);
    }
}
