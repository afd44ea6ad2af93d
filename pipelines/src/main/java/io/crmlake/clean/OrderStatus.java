package io.crmlake.clean;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Gives each delivered order line the status its order has in silver
 * ({@link EntityCleaner#ORDER_STATUS}, null for an order silver does not hold), read by the rule
 * that accepts negative quantities on the lines of a credit note or a return. Like
 * {@link ReferenceCheck}, a small day cuts silver's orders down to those its lines point at first.
 */
final class OrderStatus {
    private OrderStatus() {}

    /** {@code orders}: order_id and status of silver.orders; {@code lines}: bronze order_items of the day. */
    static Dataset<Row> attach(Dataset<Row> lines, Dataset<Row> orders, boolean smallDay) {
        Dataset<Row> statuses = orders.select(col("order_id").as("_os_order_id"), col("status").as(EntityCleaner.ORDER_STATUS));
        if (smallDay) {
            Dataset<Row> pointedAt = lines.select(trim(col("order_id")).as("_os_order_id"))
                    .where(col("_os_order_id").isNotNull()).distinct();
            statuses = broadcast(statuses.join(broadcast(pointedAt), "_os_order_id", "left_semi"));
        }
        return lines.join(statuses, trim(col("order_id")).equalTo(col("_os_order_id")), "left").drop("_os_order_id");
    }
}
