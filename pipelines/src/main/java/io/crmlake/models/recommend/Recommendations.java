package io.crmlake.models.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.models.AsOf;

/**
 * gold.recommendations as of a date: the top N products for every given customer.
 *
 * <ul>
 * <li>Customers with purchases up to the as-of date get ALS recommendations ({@code source =
 *     'als'}, score = ALS's implicit preference estimate), learned from recency-weighted purchase
 *     strengths ({@link InteractionStrengths}); products they already bought are left out when
 *     {@code excludePurchased} is set (see {@link AlsRecommender} for how).</li>
 * <li>Customers without purchases, whom ALS cannot score, get the N products with the most
 *     distinct buyers in the popularity window ({@code source = 'popular'}, score = the share of
 *     that window's buyers who bought the product; ties by product_id).</li>
 * <li>rank runs 1..N per customer, best first (fewer for a customer who already bought nearly the
 *     whole catalogue). Nothing after the as-of date is used.</li>
 * <li>Only the given customers appear, and of them only those signed up by the as-of date; an ALS
 *     customer missing from them (e.g. erased) gets nothing.</li>
 * </ul>
 */
public final class Recommendations {
    /** Output columns in order: the gold.recommendations contract. */
    public static final List<String> COLUMNS = List.of(
            "customer_id", "as_of_date", "rank", "product_id", "score", "source", "model_version");

    private Recommendations() {}

    public static Dataset<Row> compute(RecommendInputs in, LocalDate asOf, RecommendParams params, String modelVersion) {
        Dataset<Row> strengths = InteractionStrengths.compute(in.orders(), in.orderItems(), asOf, params.halfLifeDays())
                .localCheckpoint(); // read three times below
        Dataset<Row> customers = customersAsOf(in, asOf);
        Dataset<Row> popular = popular(in, asOf, params, customers.join(strengths, "customer_id", "left_anti"));
        Dataset<Row> all = strengths.isEmpty()
                ? popular
                : AlsRecommender.fit(strengths, params)
                        .recommendFor(customers, params.topN(), params.excludePurchased())
                        .withColumn("source", lit("als"))
                        .unionByName(popular);
        return all.select(
                col("customer_id"),
                AsOf.of(asOf).dateLiteral().as("as_of_date"),
                col("rank"),
                col("product_id"),
                col("score"),
                col("source"),
                lit(modelVersion).as("model_version"));
    }

    /**
     * Every customer gets the most popular products ({@code source = popular}): what is served
     * when ALS did not beat the popularity baseline on the hold-out. Purchases are not excluded.
     */
    public static Dataset<Row> popularForAll(RecommendInputs in, LocalDate asOf, RecommendParams params,
                                             String modelVersion) {
        return popular(in, asOf, params, customersAsOf(in, asOf)).select(
                col("customer_id"),
                AsOf.of(asOf).dateLiteral().as("as_of_date"),
                col("rank"),
                col("product_id"),
                col("score"),
                col("source"),
                lit(modelVersion).as("model_version"));
    }

    /**
     * The customers known on the as-of date: signed up on or before it (or with no signup date),
     * the same population as gold.customer_features. silver.customers holds today's customers, so
     * without this a re-run of a past date would recommend to customers who signed up later.
     */
    private static Dataset<Row> customersAsOf(RecommendInputs in, LocalDate asOf) {
        Dataset<Row> customers = in.customers();
        if (List.of(customers.columns()).contains("signup_date")) {
            customers = customers.where(col("signup_date").isNull().or(col("signup_date").leq(AsOf.of(asOf).dateLiteral())));
        }
        return customers.select("customer_id").distinct();
    }

    /** The most popular products for customers without purchases: nothing of theirs to exclude. */
    private static Dataset<Row> popular(RecommendInputs in, LocalDate asOf, RecommendParams params,
                                        Dataset<Row> newCustomers) {
        Dataset<Row> top = PopularProducts.ranked(in.orders(), in.orderItems(), asOf, params.popularityDays())
                .where(col("popularity_rank").leq(params.topN()));
        return newCustomers.crossJoin(top).select(
                col("customer_id"),
                col("product_id"),
                col("share").as("score"),
                col("popularity_rank").as("rank"),
                lit("popular").as("source"));
    }
}
