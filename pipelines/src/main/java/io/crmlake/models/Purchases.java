package io.crmlake.models;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Order lines of completed orders, the purchases every model learns from. Cancelled and returned
 * orders are not purchases: the customer did not keep the goods, so they are no evidence of what
 * belongs together or of what a customer likes.
 */
public final class Purchases {
    private Purchases() {}

    /**
     * Lines of completed orders placed on or before the as-of date: customer_id, order_id,
     * order_ts, product_id, quantity.
     */
    public static Dataset<Row> completedLines(Dataset<Row> orders, Dataset<Row> orderItems, AsOf asOf) {
        Dataset<Row> completed = orders
                .where(col("status").equalTo("completed").and(asOf.known("order_ts")))
                .select("order_id", "customer_id", "order_ts");
        return completed.join(orderItems.select("order_id", "product_id", "quantity"), "order_id")
                .select("customer_id", "order_id", "order_ts", "product_id", "quantity");
    }
}
