package io.crmlake.models.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.max;

import java.util.Optional;

import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * MLlib ALS on implicit purchase strengths (see {@link InteractionStrengths}), with the id
 * mappings it needs kept beside the model.
 *
 * <p>ALS wants integer ids. customer_id and product_id are indexed with MLlib's
 * {@link StringIndexer} in alphabetical order ({@code alphabetAsc}), not by frequency: the same
 * ids always get the same integers, whatever the data volume, and the fitted indexer models map
 * them back ({@link #customerIndex()}, {@link #productIndex()}; the label at position i is the id
 * of integer i). Recommendations are mapped back by joining with the indexed training rows, so no
 * label array travels to the executors.
 *
 * <p>Excluding purchases: ALS is asked for n + (the most products any one customer bought)
 * candidates per customer, and the customer's purchases are dropped from them afterwards. That
 * leaves at least n (as long as the catalogue has them) and is exact, where a cross join of every
 * customer with every product would be customers × products rows.
 *
 * <p>ALS splits users and items into MLlib's default of 10 blocks, or one per core when the
 * session has fewer: more blocks than cores only add tasks.
 */
public final class AlsRecommender {
    private final ALSModel model;
    private final StringIndexerModel customerIndex;
    private final StringIndexerModel productIndex;
    private final Dataset<Row> training;
    private final long mostBought;

    private AlsRecommender(ALSModel model, StringIndexerModel customerIndex, StringIndexerModel productIndex,
                           Dataset<Row> training, long mostBought) {
        this.model = model;
        this.customerIndex = customerIndex;
        this.productIndex = productIndex;
        this.training = training;
        this.mostBought = mostBought;
    }

    /**
     * Fits on customer_id, product_id, strength; the strengths must not be empty. The indexed
     * training rows are materialised once (localCheckpoint): ALS and every later recommendation
     * read them.
     */
    public static AlsRecommender fit(Dataset<Row> strengths, RecommendParams params) {
        if (strengths.isEmpty()) {
            throw new IllegalArgumentException("ALS needs at least one purchase to train on");
        }
        StringIndexerModel customers = indexer("customer_id", "user").fit(strengths);
        StringIndexerModel products = indexer("product_id", "item").fit(strengths);
        Dataset<Row> training = products.transform(customers.transform(strengths))
                .select(col("customer_id"), col("product_id"), col("user").cast("int").as("user"),
                        col("item").cast("int").as("item"), col("strength"))
                .localCheckpoint();
        int blocks = Math.max(1, Math.min(10, strengths.sparkSession().sparkContext().defaultParallelism()));
        ALSModel model = new ALS()
                .setNumBlocks(blocks)
                .setUserCol("user")
                .setItemCol("item")
                .setRatingCol("strength")
                .setImplicitPrefs(true)
                .setAlpha(params.alpha())
                .setRank(params.rank())
                .setMaxIter(params.maxIter())
                .setRegParam(params.regParam())
                .setNonnegative(true)
                .setColdStartStrategy("drop")
                .setSeed(params.seed())
                .fit(training);
        Row most = training.groupBy("user").agg(count("item").as("n")).agg(max("n")).first();
        return new AlsRecommender(model, customers, products, training, most.isNullAt(0) ? 0 : most.getLong(0));
    }

    private static StringIndexer indexer(String input, String output) {
        return new StringIndexer().setInputCol(input).setOutputCol(output).setStringOrderType("alphabetAsc");
    }

    /** Top n for every customer ALS was trained on: customer_id, product_id, score, rank. */
    public Dataset<Row> recommendForAll(int n, boolean excludePurchased) {
        return topN(model.recommendForAllUsers(candidates(n, excludePurchased)), n, excludePurchased);
    }

    /** Top n for the given customers (a Dataset with customer_id); customers unknown to ALS get nothing. */
    public Dataset<Row> recommendFor(Dataset<Row> customers, int n, boolean excludePurchased) {
        Dataset<Row> users = customers.select("customer_id").distinct().join(userIds(), "customer_id").select("user");
        return topN(model.recommendForUserSubset(users, candidates(n, excludePurchased)), n, excludePurchased);
    }

    private int candidates(int n, boolean excludePurchased) {
        return (int) Math.min(Integer.MAX_VALUE, n + (excludePurchased ? mostBought : 0));
    }

    private Dataset<Row> topN(Dataset<Row> recommendations, int n, boolean excludePurchased) {
        Dataset<Row> scored = recommendations
                .select(col("user"), explode(col("recommendations")).as("r"))
                .select(col("user"), col("r.item").as("item"), col("r.rating").cast("double").as("score"))
                .join(userIds(), "user")
                .join(training.select("item", "product_id").distinct(), "item")
                .select("customer_id", "product_id", "score");
        Optional<Dataset<Row>> bought = excludePurchased ? Optional.of(purchases()) : Optional.empty();
        return TopN.of(scored, bought, n);
    }

    private Dataset<Row> userIds() {
        return training.select("user", "customer_id").distinct();
    }

    /** The (customer_id, product_id) pairs ALS was trained on: what each customer already bought. */
    public Dataset<Row> purchases() {
        return training.select("customer_id", "product_id");
    }

    public ALSModel model() {
        return model;
    }

    /** customer_id → ALS user id; {@code labelsArray()[0][i]} is the customer_id of user i. */
    public StringIndexerModel customerIndex() {
        return customerIndex;
    }

    /** product_id → ALS item id; {@code labelsArray()[0][i]} is the product_id of item i. */
    public StringIndexerModel productIndex() {
        return productIndex;
    }
}
