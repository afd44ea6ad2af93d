package io.crmlake.models.recommend;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;

import java.time.LocalDate;
import java.util.Optional;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import io.crmlake.models.AsOf;
import io.crmlake.models.Purchases;

/**
 * Products ranked by how many distinct customers bought them (completed orders) in the days up
 * to the as-of date: the fallback for customers ALS knows nothing about and the baseline ALS must
 * beat. Distinct buyers, not units, so one bulk order does not make a product popular. A guest
 * checkout (no customer id) counts as a buyer of its own: guests' purchases say what sells too.
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
        // Who bought what in the window, once: both counts below read it, and computing it means
        // joining every order line of the history with its order.
        Dataset<Row> pairs = Purchases.completedLines(orders, orderItems, t)
                .where(t.within("order_ts", days).and(col("quantity").gt(0)))
                .select(coalesce(col("customer_id"), concat(lit("guest order "), col("order_id"))).as("customer_id"),
                        col("product_id"))
                .distinct()
                .localCheckpoint();
        Dataset<Row> buyers = pairs.agg(countDistinct("customer_id").as("all_buyers"));
        return pairs.groupBy("product_id").agg(count("customer_id").as("buyers"))
                .crossJoin(buyers)
                .select(col("product_id"), col("buyers"),
                        col("buyers").cast("double").divide(col("all_buyers")).as("share"),
                        row_number().over(Window.orderBy(col("buyers").desc(), col("product_id")))
                                .as("popularity_rank"));
    }

    /**
     * The n most popular products for each given customer (customer_id): customer_id, product_id,
     * score (the product's share of buyers), rank 1..n. With {@code bought} (customer_id,
     * product_id) those products are left out for the customer who bought them, the list filled
     * from further down the ranking.
     */
    public static Dataset<Row> topFor(Dataset<Row> customers, Optional<Dataset<Row>> bought, Dataset<Row> orders,
                                      Dataset<Row> orderItems, LocalDate asOf, int days, int n) {
        // Read twice (the count below and TopN): materialised once.
        Optional<Dataset<Row>> theirs = bought.map(b -> b.join(customers, "customer_id", "left_semi").localCheckpoint());
        long mostBought = theirs.map(t -> {
            Row most = t.groupBy("customer_id").agg(count("product_id").as("n")).agg(max("n")).first();
            return most.isNullAt(0) ? 0L : most.getLong(0);
        }).orElse(0L);
        Dataset<Row> candidates = customers.select("customer_id").crossJoin(
                ranked(orders, orderItems, asOf, days)
                        .where(col("popularity_rank").leq(n + mostBought))
                        .select(col("product_id"), col("share").as("score")));
        return TopN.of(candidates, theirs, n);
    }
}
