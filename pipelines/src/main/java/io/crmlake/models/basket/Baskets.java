package io.crmlake.models.basket;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.models.AsOf;
import io.crmlake.models.Purchases;

/**
 * Market baskets: one row per completed order placed in the look-back window (the look-back
 * dates ending with the as-of date; nothing after it), holding the distinct products of the order.
 *
 * <p>An order with a single product is a basket too. Support is a share of all shopping trips,
 * and a trip that bought one product is a trip on which the product was not bought together with
 * anything else: leaving such orders out would inflate the support and confidence of every pair
 * and hide products that are mostly bought alone.
 */
public final class Baskets {
    private Baskets() {}

    /** order_id, items (array of distinct product_id, sorted). */
    public static Dataset<Row> build(Dataset<Row> orders, Dataset<Row> orderItems, AsOf asOf, int lookbackDays) {
        return Purchases.completedLines(orders, orderItems, asOf)
                .where(asOf.within("order_ts", lookbackDays).and(col("product_id").isNotNull()))
                .groupBy("order_id")
                .agg(array_sort(collect_set(col("product_id"))).as("items"));
    }
}
