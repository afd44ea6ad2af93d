package io.crmlake.models.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.row_number;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import io.crmlake.models.AsOf;
import io.crmlake.models.Purchases;

/**
 * Products ranked by how many distinct customers bought them (completed orders) in the days up
 * to the as-of date: the fallback for customers ALS knows nothing about and the baseline ALS must
 * beat. Distinct buyers, not units, so one bulk order does not make a product popular.
 */
public final class PopularProducts {
    private PopularProducts() {}

    /**
     * product_id, buyers, share (buyers / distinct buyers of any product in the window),
     * popularity_rank (1 = most buyers; ties by product_id). One row per product bought in the
     * window; the ranking runs in one partition, which is fine for a product catalogue.
     */
    public static Dataset<Row> ranked(Dataset<Row> orders, Dataset<Row> orderItems, LocalDate asOf, int days) {
        AsOf t = AsOf.of(asOf);
        Dataset<Row> lines = Purchases.completedLines(orders, orderItems, t)
                .where(t.within("order_ts", days).and(col("quantity").gt(0)));
        Dataset<Row> buyers = lines.agg(countDistinct("customer_id").as("all_buyers"));
        return lines.groupBy("product_id").agg(countDistinct("customer_id").as("buyers"))
                .crossJoin(buyers)
                .select(col("product_id"), col("buyers"),
                        col("buyers").cast("double").divide(col("all_buyers")).as("share"),
                        row_number().over(Window.orderBy(col("buyers").desc(), col("product_id")))
                                .as("popularity_rank"));
    }
}
