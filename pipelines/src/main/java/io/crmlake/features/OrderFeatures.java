package io.crmlake.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-customer purchase aggregates as of a date: RFM and the rest of the order features. Only
 * completed orders count as purchases (frequency, recency); money is net of returns: a credit
 * note (a cancelled or returned order with a negative amount, as invoice-line exports write a
 * return) subtracts from monetary and revenue, while a cancelled or returned order with a positive
 * amount adds nothing (its money went back). Credit notes count as returned orders; the return
 * rate is the value returned (returned orders and credit notes) over the value sold (completed
 * and returned orders), at most 1 (a credit note may refund a sale from before the history).
 * Guest orders (no customer) belong to nobody's features.
 *
 * <p>Order lines are the biggest input, so they are reduced to one row per order first (its item
 * count and the set of its products' categories, as bits: {@link CategorySets}), and every
 * per-customer figure then comes from one aggregation over the orders: one pass over the lines
 * instead of one per line-based feature.
 */
final class OrderFeatures {
    private OrderFeatures() {}

    static Dataset<Row> compute(FeatureInputs in, PointInTime t) {
        Dataset<Row> orders = in.orders().where(t.known("order_ts"))
                .select(col("order_id"), col("customer_id"), col("order_ts"), col("status"), col("total_amount"));
        Column completed = col("status").equalTo("completed");
        Column creditNote = col("status").isin("cancelled", "returned").and(col("total_amount").lt(0));
        Column returnedOrder = col("status").equalTo("returned").and(col("total_amount").geq(0));
        // Net money: sales, less credit notes.
        Column net = when(completed.or(creditNote), col("total_amount"));
        Column returnedValue = when(returnedOrder, col("total_amount")).when(creditNote, col("total_amount").multiply(-1));
        Column soldValue = when(completed.or(returnedOrder), col("total_amount"));
        Column orderDate = to_date(col("order_ts"));
        CategorySets categorySets = CategorySets.of(in.products());
        return orders.where(col("customer_id").isNotNull()).join(perOrder(in, categorySets), "order_id", "left")
                .groupBy("customer_id").agg(
                        sum(when(completed, 1).otherwise(0)).cast("long").as("frequency"),
                        sum(net).as("monetary_raw"),
                        max(when(completed, orderDate)).as("last_order_date"),
                        min(when(completed, orderDate)).as("first_order_date"),
                        sum(when(completed.and(t.recent("order_ts")), 1).otherwise(0)).cast("long").as("orders_90d"),
                        sum(when(t.recent("order_ts"), net)).as("revenue_90d_raw"),
                        sum(when(col("status").equalTo("cancelled").and(not(creditNote)), 1).otherwise(0)).cast("long")
                                .as("cancelled_orders"),
                        sum(when(col("status").equalTo("returned").or(creditNote), 1).otherwise(0)).cast("long")
                                .as("returned_orders"),
                        sum(returnedValue).as("returned_value"),
                        sum(soldValue).as("sold_value"),
                        // Orders without lines have no items (null), so avg counts orders with lines only.
                        avg(when(completed, col("items"))).as("avg_items_per_order"),
                        categorySets.customerCount(completed).as("distinct_categories"))
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
                        when(col("sold_value").gt(0), least(lit(1.0), coalesce(col("returned_value"), lit(0)).cast("double")
                                .divide(col("sold_value").cast("double")))).as("return_rate"),
                        when(col("frequency").geq(2),
                                datediff(col("last_order_date"), col("first_order_date")).cast("double")
                                        .divide(col("frequency").minus(lit(1)))).as("avg_days_between_orders"),
                        col("avg_items_per_order"));
    }

    /**
     * order_id, items and the category set's words: the quantity summed over the order's lines,
     * and the categories of those of its products the catalogue knows (a line of an unknown
     * product adds items but no category). The catalogue is small and broadcast.
     */
    private static Dataset<Row> perOrder(FeatureInputs in, CategorySets categorySets) {
        List<Column> categoryWords = categorySets.orderWords();
        return in.orderItems().select("order_id", "product_id", "quantity")
                .join(broadcast(in.products().select("product_id", "category")), "product_id", "left")
                .groupBy("order_id").agg(sum("quantity").as("items"), categoryWords.toArray(Column[]::new));
    }
}
