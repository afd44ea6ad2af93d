package io.crmlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.crmlake.config.SourceMapping;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;
import io.crmlake.testing.Landing;
import io.crmlake.testing.SharedSpark;

/**
 * Landing days as exporters deliver them besides CSV with a marker: a Parquet file, and a day
 * folder whose success marker has not arrived (refused with its reason, or taken as it is when
 * crmlake.ingest.allow-missing-marker is set).
 */
class LandingPathsTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-01");
    private final SparkSession spark = SharedSpark.get();

    private static IngestBatch ingest(Lakehouse lh, Path landing, boolean allowMissingMarker) {
        SourceMapping m = SourceMapping.load("canonical");
        return new IngestBatch(lh, new LandingZone(landing.toString(), lh.spark().sparkContext().hadoopConfiguration(),
                m, "_SUCCESS"), m, allowMissingMarker, false, ExtraColumns.KEEP);
    }

    @Test
    void aParquetDayIsIngestedAsDelivered() throws IOException {
        Path dir = SharedSpark.tempDir("landing-parquet");
        Landing landing = new Landing(dir.resolve("landing"));
        List<String> columns = Entity.CUSTOMERS.columnNames();
        StructType strings = new StructType(columns.stream()
                .map(c -> DataTypes.createStructField(c, DataTypes.StringType, true)).toArray(org.apache.spark.sql.types.StructField[]::new));
        Row ann = RowFactory.create("C1", "Ann", "Lee", "ann@lee.org", "+1 555 123 4567", "F", "1990-01-02", "Boston",
                "US", "2025-01-01", "yes", "2026-01-01 10:00:00");
        Row bob = RowFactory.create("C2", "Bob", "Ray", "bob@ray.org", null, "M", "1985-03-15", "Leeds", "GB",
                "2025-02-01", "no", "2026-01-02 09:00:00");
        Path written = dir.resolve("spark-out");
        spark.createDataFrame(List.of(ann, bob), strings).coalesce(1).write().parquet(written.toString());
        Path day = dir.resolve("landing").resolve("customers").resolve(DAY.toString());
        Files.createDirectories(day);
        try (Stream<Path> parts = Files.list(written)) {
            Path part = parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            Files.copy(part, day.resolve("customers.parquet"));
        }
        Files.writeString(day.resolve("_SUCCESS"), "");
        landing.emptyDay(DAY);

        Lakehouse lh = new Lakehouse(spark, dir.resolve("warehouse").toString());
        ingest(lh, landing.root(), false).run(DAY, "run-parquet", s -> { });

        Dataset<Row> bronze = lh.read(Table.bronze(Entity.CUSTOMERS));
        assertThat(bronze.select(columns.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
                .orderBy("customer_id").collectAsList()).containsExactly(ann, bob);
        assertThat(bronze.select(Lineage.SOURCE_FILE).distinct().collectAsList()).singleElement()
                .satisfies(r -> assertThat(r.getString(0)).endsWith("customers/" + DAY + "/customers.parquet"));
    }

    @Test
    void aDayWithoutItsMarkerIsRefusedUnlessAllowed() throws IOException {
        Path dir = SharedSpark.tempDir("landing-marker");
        Landing landing = new Landing(dir.resolve("landing"));
        landing.csv(Entity.CUSTOMERS, DAY, "customers.csv",
                "C1,Ann,Lee,ann@lee.org,,,,Boston,US,2025-01-01,yes,2026-01-01 10:00:00");
        landing.emptyDay(DAY);
        Path marker = landing.root().resolve("customers").resolve(DAY.toString()).resolve("_SUCCESS");
        Files.delete(marker); // the export is still being written, as far as anyone can tell

        Lakehouse lh = new Lakehouse(spark, dir.resolve("warehouse").toString());
        assertThatThrownBy(() -> ingest(lh, landing.root(), false).run(DAY, "run-no-marker", s -> { }))
                .isInstanceOf(IngestError.class)
                .hasMessage("export of customers on " + DAY + " is not complete: "
                        + new LandingZone(landing.root().toString(), spark.sparkContext().hadoopConfiguration(),
                                SourceMapping.load("canonical"), "_SUCCESS").dayFolder(Entity.CUSTOMERS, DAY)
                        + " has no success marker (wait for the export, or set crmlake.ingest.allow-missing-marker=true)");
        assertThat(lh.exists(Table.bronze(Entity.CUSTOMERS))).as("nothing written before the check").isFalse();

        ingest(lh, landing.root(), true).run(DAY, "run-allowed", s -> { });
        assertThat(lh.read(Table.bronze(Entity.CUSTOMERS)).where(col("customer_id").equalTo("C1")).count()).isEqualTo(1);
    }
}
