package io.crmlake.lakehouse;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.testing.SharedSpark;
import io.delta.tables.DeltaTable;

/** A job reads the metrics of its own write, even when a compaction was committed right after it. */
class DeltaMetricsTest {
    private final SparkSession spark = SharedSpark.get();

    @Test
    void aCompactionAfterTheWriteIsPassedOver() {
        String path = SharedSpark.tempDir("metrics").resolve("t").toString();
        spark.range(0, 10).repartition(2).write().format("delta").save(path);
        spark.range(10, 13).repartition(2).write().format("delta").mode("append").save(path);
        DeltaTable table = DeltaTable.forPath(spark, path);
        table.optimize().executeCompaction(); // four small files: one OPTIMIZE commit on top

        assertThat(table.history(1).select("operation").first().getString(0)).isEqualTo("OPTIMIZE");
        assertThat(DeltaMetrics.metric(DeltaMetrics.latest(table), "numOutputRows")).as("the append's rows").isEqualTo(3L);
        assertThat(spark.read().format("delta").load(path).where(col("id").lt(13)).count()).isEqualTo(13L);
    }
}
