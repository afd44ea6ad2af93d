package io.crmlake.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-customer purchase aggregates as of a date: RFM and the rest of the order features. Only
 * completed orders count as purchases; cancelled and returned orders are counted apart and add
 * nothing to frequency, monetary or revenue (a returned order's money went back).
 */
final class OrderFeatures {
    private OrderFeatures() {}

    static Dataset<Row> compute(FeatureInputs in, PointInTime t) {
        Dataset<Row> orders = in.orders().where(t.known("order_ts"))
                .select(col("order_id"), col("customer_id"), col("order_ts"), col("status"), col("total_amount"));
        Column completed = col("status").equalTo("completed");
        Column orderDate = to_date(col("order_ts"));
        Dataset<Row> perCustomer = orders.groupBy("customer_id").agg(
                sum(when(completed, 1).otherwise(0)).cast("long").as("frequency"),
                sum(when(completed, col("total_amount"))).as("monetary_raw"),
                max(when(completed, orderDate)).as("last_order_date"),
                min(when(completed, orderDate)).as("first_order_date"),
                sum(when(completed.and(t.recent("order_ts")), 1).otherwise(0)).cast("long").as("orders_90d"),
                sum(when(completed.and(t.recent("order_ts")), col("total_amount"))).as("revenue_90d_raw"),
                sum(when(col("status").equalTo("cancelled"), 1).otherwise(0)).cast("long").as("cancelled_orders"),
                sum(when(col("status").equalTo("returned"), 1).otherwise(0)).cast("long").as("returned_orders"));

        Dataset<Row> lines = in.orderItems().select("order_id", "product_id", "quantity");
        Dataset<Row> completedLines = orders.where(completed).select("order_id", "customer_id")
                .join(lines, "order_id");
        Dataset<Row> basket = completedLines.groupBy("customer_id", "order_id").agg(sum("quantity").as("items"))
                .groupBy("customer_id").agg(avg("items").as("avg_items_per_order"));
        Dataset<Row> categories = completedLines
                .join(in.products().select("product_id", "category"), "product_id")
                .groupBy("customer_id").agg(countDistinct("category").as("distinct_categories"));

        return perCustomer
                .join(basket, "customer_id", "left")
                .join(categories, "customer_id", "left")
                .select(
                        col("customer_id"),
                        datediff(t.asOfLiteral(), col("last_order_date")).as("recency_days"),
                        col("frequency"),
                        col("monetary_raw"),
                        col("orders_90d"),
                        col("revenue_90d_raw"),
                        col("distinct_categories"),
                        col("cancelled_orders"),
                        col("returned_orders"),
                        when(col("frequency").geq(2),
                                datediff(col("last_order_date"), col("first_order_date")).cast("double")
                                        .divide(col("frequency").minus(lit(1)))).as("avg_days_between_orders"),
                        col("avg_items_per_order"));
    }
}
