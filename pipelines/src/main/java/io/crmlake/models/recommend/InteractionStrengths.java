package io.crmlake.models.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import java.time.LocalDate;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.models.AsOf;
import io.crmlake.models.Purchases;

/**
 * How strongly each customer is drawn to each product as of a date, the implicit feedback ALS
 * learns from:
 *
 * <pre>
 *   strength(customer, product) = Σ over lines of completed orders on or before the as-of date
 *                                 quantity × 0.5 ^ (age_days / halfLifeDays)
 * </pre>
 *
 * age_days is whole days from the order's (UTC) date to the as-of date, so a line bought on the
 * as-of date weighs its full quantity and one bought halfLifeDays earlier half of it: tastes
 * drift, and what someone bought last month says more than what they bought two years ago.
 * Cancelled and returned orders are left out (a returned product is no sign of liking it), as are
 * lines with a quantity that is not positive. Nothing after the as-of date is used.
 */
public final class InteractionStrengths {
    private InteractionStrengths() {}

    /** customer_id, product_id, strength (double, positive). */
    public static Dataset<Row> compute(Dataset<Row> orders, Dataset<Row> orderItems, LocalDate asOf,
                                       double halfLifeDays) {
        AsOf t = AsOf.of(asOf);
        Column ageDays = datediff(t.dateLiteral(), to_date(col("order_ts")));
        Column weight = pow(lit(0.5), ageDays.cast("double").divide(halfLifeDays));
        return Purchases.completedLines(orders, orderItems, t)
                .where(col("quantity").gt(0).and(col("customer_id").isNotNull()).and(col("product_id").isNotNull()))
                .groupBy("customer_id", "product_id")
                .agg(sum(col("quantity").cast("double").multiply(weight)).as("strength"));
    }
}
