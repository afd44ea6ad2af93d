package io.crmlake.models.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.models.AsOf;

/**
 * gold.recommendations as of a date: the top N products for every given customer.
 *
 * <ul>
 * <li>Customers the ALS model knows get its recommendations ({@code source =
 *     'als'}, score = ALS's implicit preference estimate), learned from recency-weighted purchase
 *     strengths ({@link InteractionStrengths}); products they already bought are left out when
 *     {@code excludePurchased} is set (see {@link AlsRecommender} for how).</li>
 * <li>Customers it does not know (no purchases when it was trained), or for whom it has nothing
 *     left after exclusion, get the N products with the most distinct buyers in the popularity
 *     window ({@code source = 'popular'}, score = the share of that window's buyers who bought the
 *     product; ties by product_id), their own purchases left out when {@code excludePurchased}.</li>
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

    /** Fits ALS on the purchases up to the as-of date and recommends with it ({@link #serve}). */
    public static Dataset<Row> compute(RecommendInputs in, LocalDate asOf, RecommendParams params, String modelVersion) {
        Dataset<Row> strengths = strengths(in, asOf, params);
        return strengths.isEmpty()
                ? popularForAll(in, asOf, params, modelVersion)
                : serve(in, asOf, params, AlsRecommender.fit(strengths, params), modelVersion);
    }

    /** The recency-weighted purchase strengths up to the as-of date: what ALS trains on and exclusion reads. */
    public static Dataset<Row> strengths(RecommendInputs in, LocalDate asOf, RecommendParams params) {
        return InteractionStrengths.compute(in.orders(), in.orderItems(), asOf, params.halfLifeDays()).localCheckpoint();
    }

    /**
     * Recommendations from a fitted or loaded ALS model for every customer it knows, popular
     * products for the rest. {@code als} must serve the same as-of date (its purchases are the ones
     * excluded).
     */
    public static Dataset<Row> serve(RecommendInputs in, LocalDate asOf, RecommendParams params, AlsRecommender als,
                                     String modelVersion) {
        Dataset<Row> customers = customersAsOf(in, asOf).localCheckpoint(); // read twice below
        Dataset<Row> fromAls = als.recommendFor(customers, params.topN(), params.excludePurchased())
                .withColumn("source", lit("als"))
                .localCheckpoint();
        // The customers ALS has nothing for, read by every step of the popular fallback: materialised once.
        Dataset<Row> rest = customers.join(fromAls, "customer_id", "left_anti").localCheckpoint();
        Dataset<Row> popular = popular(in, asOf, params, rest, als.purchases());
        return fromAls.unionByName(popular).select(
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
     * when no ALS model has passed the promotion gate.
     */
    public static Dataset<Row> popularForAll(RecommendInputs in, LocalDate asOf, RecommendParams params,
                                             String modelVersion) {
        return popular(in, asOf, params, customersAsOf(in, asOf), strengths(in, asOf, params)).select(
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

    /** The most popular products, leaving out the customer's purchases when configured. */
    private static Dataset<Row> popular(RecommendInputs in, LocalDate asOf, RecommendParams params,
                                        Dataset<Row> customers, Dataset<Row> purchases) {
        return PopularProducts.topFor(customers, params.excludePurchased() ? Optional.of(purchases) : Optional.empty(),
                        in.orders(), in.orderItems(), asOf, params.popularityDays(), params.topN())
                .withColumn("source", lit("popular"));
    }
}
