package io.crmlake.models.recommend;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import java.time.LocalDate;
import java.util.Optional;

import org.apache.spark.ml.evaluation.RankingEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import io.crmlake.models.AsOf;
import io.crmlake.models.Purchases;

/**
 * How well the recommender would have done, judged on a time-based hold-out: train as of
 * (asOf − holdoutDays), then compare its top k with what customers really bought in the hold-out
 * dates (asOf − holdoutDays, asOf]. A random split would leak the future into training.
 *
 * <ul>
 * <li>Evaluated customers: those with training purchases (ALS can score them) who bought, in the
 *     hold-out, at least one product they had not bought before. With {@code excludePurchased}
 *     the truth is those new products only, since re-purchases can never be recommended; without
 *     it, every product bought in the hold-out.</li>
 * <li>ALS and the popularity baseline (the most-bought products of the popularity window ending
 *     at the cut-off, with the same exclusion) are scored on the same customers with MLlib's
 *     {@link RankingEvaluator}: precision@k, recall@k and MAP@k. A customer who gets fewer than k
 *     recommendations is still counted, with the missing places as misses.</li>
 * </ul>
 */
public final class RecommendEvaluation {
    private RecommendEvaluation() {}

    public static RecommendMetrics evaluate(RecommendInputs in, LocalDate asOf, RecommendParams params) {
        LocalDate cutoff = asOf.minusDays(params.holdoutDays());
        // Each intermediate result below is read several times: materialised once (localCheckpoint).
        Dataset<Row> train = InteractionStrengths.compute(in.orders(), in.orderItems(), cutoff, params.halfLifeDays())
                .localCheckpoint();
        Dataset<Row> heldOut = Purchases.completedLines(in.orders(), in.orderItems(), AsOf.of(asOf))
                .where(col("order_ts").geq(lit(AsOf.of(cutoff).end())).and(col("quantity").gt(0)))
                .select("customer_id", "product_id").distinct()
                .join(train.select("customer_id").distinct(), "customer_id", "left_semi");
        Dataset<Row> newlyBought = heldOut.join(train, new String[]{"customer_id", "product_id"}, "left_anti");
        Dataset<Row> truth = (params.excludePurchased()
                ? newlyBought
                : heldOut.join(newlyBought.select("customer_id").distinct(), "customer_id", "left_semi")).localCheckpoint();
        Dataset<Row> users = truth.select("customer_id").distinct();
        long userCount = users.count();
        int k = params.k();
        if (userCount == 0) {
            RankingScores none = new RankingScores(Double.NaN, Double.NaN, Double.NaN);
            return new RecommendMetrics(k, 0, none, none);
        }

        AlsRecommender als = AlsRecommender.fit(train, params);
        Dataset<Row> alsTop = als.recommendFor(users, k, params.excludePurchased()).localCheckpoint();
        Dataset<Row> popularTop = PopularProducts.topFor(users,
                params.excludePurchased() ? Optional.of(als.purchases()) : Optional.empty(),
                in.orders(), in.orderItems(), cutoff, params.popularityDays(), k).localCheckpoint();

        StringIndexerModel ids = new StringIndexer().setInputCol("product_id").setOutputCol("idx")
                .setStringOrderType("alphabetAsc")
                .fit(truth.select("product_id").union(alsTop.select("product_id")).union(popularTop.select("product_id")));
        Column none = array().cast("array<double>");
        Dataset<Row> scored = ids.transform(truth).groupBy("customer_id").agg(collect_set("idx").as("truth"))
                .join(ranking(ids.transform(alsTop), "als"), "customer_id", "left")
                .join(ranking(ids.transform(popularTop), "popular"), "customer_id", "left")
                .select(col("truth"), coalesce(col("als"), none).as("als"),
                        coalesce(col("popular"), none).as("popular"))
                .persist();
        try {
            scored.count();
            return new RecommendMetrics(k, userCount, scores(scored, "als", k), scores(scored, "popular", k));
        } finally {
            scored.unpersist();
        }
    }

    /** customer_id, name: the indexed product ids of a top-k list, best first. */
    private static Dataset<Row> ranking(Dataset<Row> top, String name) {
        return top.groupBy("customer_id")
                .agg(array_sort(collect_list(struct(col("rank"), col("idx")))).as("ranked"))
                .select(col("customer_id"), functions.transform(col("ranked"), (Column r) -> r.getField("idx")).as(name));
    }

    private static RankingScores scores(Dataset<Row> scored, String predictions, int k) {
        RankingEvaluator evaluator = new RankingEvaluator().setLabelCol("truth").setPredictionCol(predictions).setK(k);
        return new RankingScores(
                evaluator.setMetricName("precisionAtK").evaluate(scored),
                evaluator.setMetricName("recallAtK").evaluate(scored),
                evaluator.setMetricName("meanAveragePrecisionAtK").evaluate(scored));
    }
}
