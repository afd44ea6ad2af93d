package io.crmlake.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Which rows of gold.customer_scores a changes-only export sends, and which customers it tells
 * the target to delete.
 *
 * <p>The change data feed of the commits after the last exported version says which customers
 * were touched at all (the scores MERGE rewrites only rows whose content changed, but as_of_date
 * moves every night, so that is nearly everyone). Of those, a customer is sent when a material
 * column differs from the row last exported (the table as of that version, by time travel), or
 * when there was no such row. Comparisons are null-safe, arrays compared element by element.
 *
 * <p>The same feed says who was deleted: the scores MERGE never deletes, so a delete in
 * gold.customer_scores is an erasure ({@code forget}) or a hand-made DELETE, and the target must
 * drop the customer too.
 */
public final class ScoreChanges {
    private static final List<String> CHANGED = List.of("insert", "update_postimage");
    private static final String DELETED = "delete";

    /** The one column of {@link #deleted}: the ids a target is told to delete. */
    public static final StructType DELETED_IDS = new StructType().add("customer_id", DataTypes.StringType);

    private ScoreChanges() {}

    /**
     * The change data feed of the commits (fromExclusive, toInclusive] of the table, as
     * {@code customer_id, _change_type}: what {@link #touched} and {@link #deleted} read. Read once
     * and kept ({@code localCheckpoint}), since both read it.
     */
    public static Dataset<Row> changeFeed(SparkSession spark, String tablePath, long fromExclusive, long toInclusive) {
        return spark.read().format("delta")
                .option("readChangeFeed", "true")
                .option("startingVersion", fromExclusive + 1)
                .option("endingVersion", toInclusive)
                .load(tablePath)
                .select("customer_id", "_change_type")
                .localCheckpoint();
    }

    /** customer_id of every row the change feed inserted or updated. */
    public static Dataset<Row> touched(Dataset<Row> changeFeed) {
        return changeFeed.where(col("_change_type").isin(CHANGED.toArray()))
                .select("customer_id").distinct();
    }

    /**
     * customer_id of every row the change feed deleted that {@code current} (the table at the
     * feed's last version) does not hold: a customer deleted and inserted again within the feed
     * is current, so it is an update for the target, not a deletion. One column,
     * {@link #DELETED_IDS}, each id once.
     */
    public static Dataset<Row> deleted(Dataset<Row> changeFeed, Dataset<Row> current) {
        return changeFeed.where(col("_change_type").equalTo(DELETED).and(col("customer_id").isNotNull()))
                .select("customer_id").distinct()
                .join(current.select("customer_id"), "customer_id", "left_anti");
    }

    /** No deletions, in the shape of {@link #deleted}. */
    public static Dataset<Row> noneDeleted(SparkSession spark) {
        return spark.createDataFrame(List.of(), DELETED_IDS);
    }

    /**
     * The rows of {@code current} to send: touched customers whose material columns differ from
     * {@code previous} (the rows last exported) or who are not in it. With no material columns,
     * every touched customer.
     */
    public static Dataset<Row> toSend(Dataset<Row> current, Dataset<Row> touched, Dataset<Row> previous,
                                      List<String> materialColumns) {
        Dataset<Row> candidates = current.join(touched, "customer_id", "left_semi");
        if (materialColumns.isEmpty()) {
            return candidates;
        }
        Dataset<Row> before = previous.select(col("customer_id").as("_prev_id"),
                        org.apache.spark.sql.functions.struct(materialColumns.stream().map(c -> col(c))
                                .toArray(Column[]::new)).as("_prev"));
        Column same = lit(true);
        for (String c : materialColumns) {
            same = same.and(col(c).eqNullSafe(col("_prev." + c)));
        }
        return candidates.join(before, candidates.col("customer_id").equalTo(before.col("_prev_id")), "left")
                .where(col("_prev_id").isNull().or(not(same)))
                .select(current.columns()[0], java.util.Arrays.copyOfRange(current.columns(), 1, current.columns().length));
    }
}
