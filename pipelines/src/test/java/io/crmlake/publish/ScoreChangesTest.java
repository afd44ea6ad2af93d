package io.crmlake.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.crmlake.testing.SharedSpark;

/**
 * Who a changes-only export names, on a change feed made by hand (the shape Delta gives:
 * customer_id and _change_type): touched and deleted customers.
 */
class ScoreChangesTest {
    private static final StructType FEED = new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("_change_type", DataTypes.StringType)
            .add("_commit_version", DataTypes.LongType);
    private static final StructType TABLE = new StructType().add("customer_id", DataTypes.StringType);

    private final SparkSession spark = SharedSpark.get();

    @Test
    void aDeletedCustomerIsADeletionUnlessTheTableHoldsThemAgain() {
        Dataset<Row> feed = spark.createDataFrame(List.of(
                RowFactory.create("C1", "delete", 5L),            // erased
                RowFactory.create("C2", "delete", 5L),            // erased, then scored again
                RowFactory.create("C2", "insert", 6L),
                RowFactory.create("C3", "update_preimage", 6L),   // an ordinary change
                RowFactory.create("C3", "update_postimage", 6L),
                RowFactory.create("C4", "delete", 5L),            // erased in two commits (a repeated forget)
                RowFactory.create("C4", "delete", 7L),
                RowFactory.create(null, "delete", 7L)), FEED);
        Dataset<Row> current = spark.createDataFrame(List.of(RowFactory.create("C2"), RowFactory.create("C3"),
                RowFactory.create("C5")), TABLE);

        assertThat(ids(ScoreChanges.deleted(feed, current))).containsExactlyInAnyOrder("C1", "C4");
        assertThat(ScoreChanges.deleted(feed, current).columns()).containsExactly("customer_id");
        assertThat(ids(ScoreChanges.touched(feed))).containsExactlyInAnyOrder("C2", "C3");
        assertThat(ScoreChanges.noneDeleted(spark).schema()).isEqualTo(ScoreChanges.DELETED_IDS);
    }

    private static List<String> ids(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(r -> r.getString(0)).toList();
    }
}
