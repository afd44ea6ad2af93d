package io.crmlake.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.schema.Entity;
import io.crmlake.testing.SharedSpark;

/**
 * A job killed in a table's first write leaves the table's folder with data files and an empty
 * {@code _delta_log} (Delta makes the log folder before the commit): no table. The warehouse's
 * listing, which registration and forget go by, passes over it, and the next write creates the
 * table there.
 */
class LakehouseTablesTest {
    private final SparkSession spark = SharedSpark.get();

    @Test
    void aFolderWhoseFirstWriteNeverCommittedIsNoTableUntilTheNextWrite() throws Exception {
        Path root = SharedSpark.tempDir("lakehouse-tables");
        Lakehouse lh = new Lakehouse(spark, root.toString());
        spark.range(3).selectExpr("CAST(id AS STRING) AS customer_id").write().format("delta")
                .save(lh.path(Table.silver(Entity.CUSTOMERS)));
        Path killed = root.resolve("silver").resolve("orders"); // lh.path gives it as a file: URI
        Files.createDirectories(killed.resolve("_delta_log"));
        Files.writeString(killed.resolve("part-00000-killed.snappy.parquet"), "not committed");

        assertThat(lh.tables()).containsExactly(Table.silver(Entity.CUSTOMERS));
        assertThat(lh.exists(Table.silver(Entity.ORDERS))).isFalse();
        assertThat(lh.registerAll()).containsExactly(Table.silver(Entity.CUSTOMERS));
        assertThat(lh.commitVersions()).containsOnlyKeys(Table.silver(Entity.CUSTOMERS));

        spark.range(2).selectExpr("CAST(id AS STRING) AS order_id").write().format("delta").mode("errorifexists")
                .save(killed.toString());
        assertThat(lh.tables()).containsExactlyInAnyOrder(Table.silver(Entity.CUSTOMERS), Table.silver(Entity.ORDERS));
        assertThat(lh.read(Table.silver(Entity.ORDERS)).count()).as("the orphan file is not part of it").isEqualTo(2);
        lh.register(Table.silver(Entity.ORDERS));
        assertThat(spark.table("silver.orders").count()).isEqualTo(2);
        assertThat(List.of(lh.commitVersions().get(Table.silver(Entity.ORDERS)))).containsExactly(0L);
    }
}
