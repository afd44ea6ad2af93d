package io.crmlake.models.recommend;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * MLlib ALS on implicit purchase strengths (see {@link InteractionStrengths}), as one MLlib
 * PipelineModel that is saved and loaded whole: a StringIndexer for customer_id, one for
 * product_id, and the ALSModel.
 *
 * <p>ALS wants integer ids. customer_id and product_id are indexed in alphabetical order
 * ({@code alphabetAsc}), not by frequency: the same ids always get the same integers, whatever
 * the data volume, and the indexer models map them back ({@link #customerIndex()},
 * {@link #productIndex()}; the label at position i is the id of integer i). A customer the saved
 * model does not know (signed up or first bought after it was trained) is skipped by the indexer
 * and gets nothing here: the caller serves popular products instead.
 *
 * <p>Excluding purchases: ALS is asked for n + (the number of products the customer bought)
 * candidates per customer, and the customer's purchases are dropped from them afterwards. That
 * leaves at least n (as long as the catalogue has them) and is exact, where a cross join of every
 * customer with every product would be customers × products rows. The purchases are those of the
 * night being served, so a model trained a few nights ago still leaves out what was bought since.
 * MLlib asks one number of candidates of every user it serves, so customers are served in tiers
 * by how many products they bought ({@link #tierBounds}).
 *
 * <p>ALS splits users and items into MLlib's default of 10 blocks, or one per core when the
 * session has fewer: more blocks than cores only add tasks.
 */
public final class AlsRecommender {
    private static final String USER = "user";
    private static final String ITEM = "item";
    /** Customers who bought at most this many products form the first serving tier ({@link #tierBounds}). */
    private static final long FIRST_TIER_BOUND = 8;

    private final PipelineModel pipeline;
    private final Dataset<Row> strengths;
    private Dataset<Row> purchases; // materialised on first use: a model fitted only to be saved never needs it

    private AlsRecommender(PipelineModel pipeline, Dataset<Row> strengths) {
        this.pipeline = pipeline;
        this.strengths = strengths;
    }

    /** Fits on customer_id, product_id, strength (one row per customer and product); the strengths must not be empty. */
    public static AlsRecommender fit(Dataset<Row> strengths, RecommendParams params) {
        if (strengths.isEmpty()) {
            throw new IllegalArgumentException("ALS needs at least one purchase to train on");
        }
        int blocks = Math.max(1, Math.min(10, strengths.sparkSession().sparkContext().defaultParallelism()));
        ALS als = new ALS()
                .setNumBlocks(blocks)
                .setUserCol(USER)
                .setItemCol(ITEM)
                .setRatingCol("strength")
                .setImplicitPrefs(true)
                .setAlpha(params.alpha())
                .setRank(params.rank())
                .setMaxIter(params.maxIter())
                .setRegParam(params.regParam())
                .setNonnegative(true)
                .setColdStartStrategy("drop")
                .setSeed(params.seed());
        PipelineModel model = new Pipeline()
                .setStages(new PipelineStage[]{indexer("customer_id", USER), indexer("product_id", ITEM), als})
                .fit(strengths);
        return new AlsRecommender(model, strengths);
    }

    /**
     * A model saved by {@link #save}, serving the given night's strengths (customer_id,
     * product_id, ...): they say what each customer has bought by then.
     */
    public static AlsRecommender load(String path, Dataset<Row> strengths) {
        return new AlsRecommender(PipelineModel.load(path), strengths);
    }

    public void save(String path) {
        try {
            pipeline.write().overwrite().save(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the ALS model to " + path, e);
        }
    }

    private static StringIndexer indexer(String input, String output) {
        return new StringIndexer().setInputCol(input).setOutputCol(output).setStringOrderType("alphabetAsc");
    }

    /** Top n for every customer the model knows: customer_id, product_id, score, rank. */
    public Dataset<Row> recommendForAll(int n, boolean excludePurchased) {
        return recommendFor(knownCustomers(), n, excludePurchased);
    }

    /**
     * Top n for the given customers (a Dataset with customer_id); customers unknown to the model
     * get nothing. Ranks are 1..n by score, best first; equal scores go by the model's item order,
     * which is product_id's alphabetical order (see the class comment).
     *
     * <p>Exclusion and ranking work on each customer's candidate array, next to the array of the
     * items they bought: one row per customer until the n kept are exploded, instead of one row
     * per candidate through a join and a window.
     */
    public Dataset<Row> recommendFor(Dataset<Row> customers, int n, boolean excludePurchased) {
        Dataset<Row> users = userIds(customers).localCheckpoint(); // read by ALS and by the mapping back
        Dataset<Row> products = broadcast(productIds()); // the catalogue, small: built once, sent to every task
        Dataset<Row> candidates;
        Column kept = col("recommendations");
        if (excludePurchased) {
            Dataset<Row> bought = boughtItems(users, products).localCheckpoint(); // read by every tier and the join
            candidates = candidatesByTier(bought, n).join(bought, USER);
            kept = filter(kept, r -> not(array_contains(col("bought"), r.getField(ITEM))));
        } else {
            candidates = model().recommendForUserSubset(users, n);
        }
        // sort_array orders structs field by field: negated score first (best first), then item.
        Column best = slice(sort_array(transform(kept, r -> struct(r.getField("rating").cast("double").multiply(-1)
                .as("negated_score"), r.getField(ITEM).as(ITEM)))), 1, n);
        return candidates
                .select(col(USER), posexplode(best).as(new String[]{"position", "r"}))
                .select(col(USER), col("r." + ITEM).as(ITEM), col("r.negated_score").multiply(-1).as("score"),
                        col("position").plus(1).as("rank"))
                .join(users, USER)
                .join(products, ITEM)
                .select("customer_id", "product_id", "score", "rank");
    }

    /**
     * user, bought, bought_count: every given user with the ALS items they have bought by the
     * night served (an empty array for none).
     */
    private Dataset<Row> boughtItems(Dataset<Row> users, Dataset<Row> products) {
        Dataset<Row> bought = purchases()
                .join(products, "product_id")
                .join(users, "customer_id")
                .groupBy(USER).agg(collect_list(col(ITEM)).as("bought"));
        Column items = coalesce(col("bought"), array().cast(DataTypes.createArrayType(DataTypes.IntegerType)));
        return users.select(USER).join(bought, USER, "left")
                .select(col(USER), items.as("bought"), size(items).as("bought_count"));
    }

    /**
     * user, recommendations: ALS's best candidates for each user in {@code bought}, n more than
     * the tier's bound on what they bought, so that n are left once their purchases are dropped.
     * MLlib emits a row per user and candidate before it ranks them: asking everyone for n + the
     * most any customer bought (91 of SF 1's 120 products, where the median customer bought 16)
     * cost several times the rows the tiers need.
     */
    private Dataset<Row> candidatesByTier(Dataset<Row> bought, int n) {
        Row most = bought.agg(max(col("bought_count").cast("long"))).first();
        List<Long> bounds = tierBounds(most.isNullAt(0) ? 0 : most.getLong(0));
        Dataset<Row> all = null;
        long lower = -1;
        for (int i = 0; i < bounds.size(); i++) {
            long upper = bounds.get(i);
            Column inTier = col("bought_count").gt(lower);
            if (i < bounds.size() - 1) {
                // The last tier is open above: its bound is the largest count, and a customer
                // outside every tier would silently get nothing.
                inTier = inTier.and(col("bought_count").leq(upper));
            }
            Dataset<Row> tier = model().recommendForUserSubset(bought.where(inTier),
                    (int) Math.min(Integer.MAX_VALUE, n + upper));
            all = all == null ? tier : all.union(tier);
            lower = upper;
        }
        return all;
    }

    /**
     * The upper bounds of the tiers, for customers who bought at most {@code mostBought} products:
     * 8, 16, 32, ... below it, then itself. Doubling keeps the candidates asked of a customer under
     * twice what they need (plus n) with a handful of tiers; each tier is one more ALS cross join.
     */
    static List<Long> tierBounds(long mostBought) {
        List<Long> bounds = new ArrayList<>();
        for (long bound = FIRST_TIER_BOUND; bound < mostBought; bound *= 2) {
            bounds.add(bound);
        }
        bounds.add(Math.max(0, mostBought));
        return bounds;
    }

    /** customer_id, user: the given customers the model knows, with their ALS ids. */
    private Dataset<Row> userIds(Dataset<Row> customers) {
        StringIndexerModel index = customerIndex().copy(new org.apache.spark.ml.param.ParamMap());
        index.setHandleInvalid("skip");
        return index.transform(customers.select("customer_id").distinct())
                .select(col("customer_id"), col(USER).cast("int").as(USER));
    }

    /** item, product_id: the catalogue the model was trained on (small; built from the indexer's labels). */
    private Dataset<Row> productIds() {
        String[] labels = productIndex().labelsArray()[0];
        List<Row> rows = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            rows.add(RowFactory.create(i, labels[i]));
        }
        SparkSession spark = strengths.sparkSession();
        return spark.createDataFrame(rows, new StructType()
                .add(ITEM, DataTypes.IntegerType, false)
                .add("product_id", DataTypes.StringType, false));
    }

    private Dataset<Row> knownCustomers() {
        String[] labels = customerIndex().labelsArray()[0];
        List<Row> rows = new ArrayList<>(labels.length);
        for (String label : labels) {
            rows.add(RowFactory.create(label));
        }
        return strengths.sparkSession().createDataFrame(rows, new StructType().add("customer_id", DataTypes.StringType));
    }

    /** The (customer_id, product_id) pairs bought by the night served: what exclusion leaves out. */
    public Dataset<Row> purchases() {
        if (purchases == null) {
            // Read by every exclusion: materialised once. Strengths hold one row per customer and
            // product (InteractionStrengths groups by both), so no distinct: a duplicate would only
            // put a customer in a larger tier, never drop a purchase.
            purchases = strengths.select("customer_id", "product_id").localCheckpoint();
        }
        return purchases;
    }

    public ALSModel model() {
        return (ALSModel) pipeline.stages()[2];
    }

    /** customer_id → ALS user id; {@code labelsArray()[0][i]} is the customer_id of user i. */
    public StringIndexerModel customerIndex() {
        return (StringIndexerModel) pipeline.stages()[0];
    }

    /** product_id → ALS item id; {@code labelsArray()[0][i]} is the product_id of item i. */
    public StringIndexerModel productIndex() {
        return (StringIndexerModel) pipeline.stages()[1];
    }
}
