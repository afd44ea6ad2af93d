package io.crmlake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.config.ConfigError;
import io.crmlake.scores.CustomerScores;
import io.crmlake.testing.SharedSpark;

/** The file export on a real file system: layout, mapping, formula guard, replacement of a date. */
class FileExportTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-03");
    private final SparkSession spark = SharedSpark.get();

    private Dataset<Row> scores(String segmentOfC2) {
        Timestamp at = Timestamp.from(Instant.parse("2026-11-03T02:00:00Z"));
        Date day = Date.valueOf(DAY);
        return spark.createDataFrame(List.of(
                RowFactory.create("C1", day, "Champions", 0.91, 1, new String[]{"P1", "P2"}, 3, 12L,
                        new BigDecimal("1234.50"), at, "k1"),
                RowFactory.create("C2", day, segmentOfC2, 0.12, 9, new String[]{"=HYPERLINK(\"x\")", "P3"}, 200, 1L,
                        new BigDecimal("-5.00"), at, "k2"),
                RowFactory.create("C3", day, null, null, null, null, 40, 2L, new BigDecimal("80.00"), at, null)),
                CustomerScores.SCHEMA);
    }

    @Test
    void writesOneCsvWithAHeaderAndParquetUnderTheDate() throws IOException {
        Path root = SharedSpark.tempDir("exports");
        FileExport.Written w = FileExport.write(scores("Loyal"), ExportMapping.canonical(), root.toString(), DAY);
        Path folder = root.resolve("customer_scores").resolve("2026-11-03");
        assertThat(w.rows()).isEqualTo(3);
        List<String> lines = Files.readAllLines(folder.resolve("customer_scores.csv"), StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo(String.join(",", CustomerScores.SCHEMA.fieldNames()));
        assertThat(lines).hasSize(4).contains(
                "C1,2026-11-03,Champions,0.91,1,P1;P2,3,12,1234.50,2026-11-03T02:00:00Z,k1",
                "C3,2026-11-03,,,,,40,2,80.00,2026-11-03T02:00:00Z,");
        assertThat(spark.read().parquet(folder.resolve("parquet").toString()).count()).isEqualTo(3);
        assertThat(Files.readAllLines(folder.resolve("customer_scores_deleted.csv")))
                .as("written in every export, the header alone when nobody was deleted").containsExactly("customer_id");
        assertThat(w.deletedIds()).isZero();
        assertThat(spark.read().parquet(folder.resolve("parquet").toString()).schema().apply("recommended_products")
                .dataType().typeName()).isEqualTo("array");
        try (Stream<Path> siblings = Files.list(folder.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("2026-11-03");
        }
    }

    @Test
    void textThatASpreadsheetWouldRunIsNeutralisedNumbersAreNot() throws IOException {
        Path root = SharedSpark.tempDir("exports");
        FileExport.write(scores("@SUM(A1:A9)"), ExportMapping.canonical(), root.toString(), DAY);
        List<String> lines = Files.readAllLines(
                root.resolve("customer_scores/2026-11-03/customer_scores.csv"), StandardCharsets.UTF_8);
        String c2 = lines.stream().filter(l -> l.startsWith("C2,")).findFirst().orElseThrow();
        assertThat(c2).contains(",'@SUM(A1:A9),").contains(",\"'=HYPERLINK(\"\"x\"\");P3\",").endsWith(",-5.00,2026-11-03T02:00:00Z,k2");
        Dataset<Row> parquet = spark.read().parquet(root.resolve("customer_scores/2026-11-03/parquet").toString());
        assertThat(parquet.where("customer_id = 'C2'").first().<String>getAs("segment_name"))
                .as("Parquet keeps the value as it is").isEqualTo("@SUM(A1:A9)");
    }

    @Test
    void aTargetMappingRenamesAndOrdersTheFields() throws IOException {
        Path root = SharedSpark.tempDir("exports");
        Dataset<Row> deleted = spark.createDataFrame(List.of(RowFactory.create("C9"), RowFactory.create("C7")),
                ScoreChanges.DELETED_IDS);
        FileExport.write(scores("Loyal"), deleted, ExportMapping.load("hubspot"), root.toString(), DAY);
        assertThat(Files.readAllLines(root.resolve("customer_scores/2026-11-03/customer_scores_deleted.csv")))
                .containsExactly("crmlake_customer_id", "C7", "C9");
        List<String> lines = Files.readAllLines(
                root.resolve("customer_scores/2026-11-03/customer_scores.csv"), StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("crmlake_customer_id,crmlake_segment,crmlake_purchase_probability,"
                + "crmlake_propensity_decile,crmlake_recommended_products,crmlake_days_since_last_order,"
                + "crmlake_order_count,crmlake_lifetime_value,crmlake_scored_on,crmlake_email_sha256");
        assertThat(ExportMapping.load("salesforce").fields()).containsEntry("customer_id", "Id")
                .hasSize(CustomerScores.SCHEMA.size());
    }

    @Test
    void reExportingADateReplacesItWhole() throws IOException {
        Path root = SharedSpark.tempDir("exports");
        FileExport.write(scores("Loyal"), ExportMapping.canonical(), root.toString(), DAY);
        FileExport.write(scores("At risk").where("customer_id <> 'C3'"), ExportMapping.canonical(), root.toString(), DAY);
        Path folder = root.resolve("customer_scores/2026-11-03");
        assertThat(Files.readAllLines(folder.resolve("customer_scores.csv"))).hasSize(3)
                .anyMatch(l -> l.startsWith("C2,2026-11-03,At risk,"));
        assertThat(spark.read().parquet(folder.resolve("parquet").toString()).count()).isEqualTo(2);
        try (Stream<Path> siblings = Files.list(folder.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("2026-11-03");
        }
    }

    /**
     * A publish killed mid-write leaves its staging folder (here with a finished CSV and no
     * Parquet) and, killed between its renames, the previous export aside with no date folder: the
     * next export of the date clears both; another date's staging folder is not its business.
     */
    @Test
    void theNextExportOfADateClearsWhatADeadRunOfItLeft() throws IOException {
        Path root = SharedSpark.tempDir("exports");
        Path folder = root.resolve("customer_scores");
        Path staging = Files.createDirectories(folder.resolve("_staging-2026-11-03-0f1e"));
        Files.writeString(staging.resolve("customer_scores.csv"), "customer_id\nC9\n");
        Files.createDirectories(staging.resolve("parquet/_temporary/0"));
        Path previous = Files.createDirectories(folder.resolve("_previous-2026-11-03-9a8b"));
        Files.writeString(previous.resolve("customer_scores.csv"), "customer_id\nC8\n");
        Path otherDate = Files.createDirectories(folder.resolve("_staging-2026-11-04-7c6d"));

        FileExport.write(scores("Loyal"), ExportMapping.canonical(), root.toString(), DAY);

        try (Stream<Path> siblings = Files.list(folder)) {
            assertThat(siblings.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("2026-11-03", otherDate.getFileName().toString());
        }
        assertThat(Files.readAllLines(folder.resolve("2026-11-03/customer_scores.csv"))).hasSize(4)
                .noneMatch(l -> l.startsWith("C8") || l.startsWith("C9"));
    }

    @Test
    void badMappingsFailNamingTheKey() throws IOException {
        Path file = SharedSpark.tempDir("mapping").resolve("bad.conf");
        Files.writeString(file, "fields { customer_id = \"Id\"\n  lifetime_value = \"LTV\" }\n");
        assertThatThrownBy(() -> ExportMapping.load(file.toString())).isInstanceOf(ConfigError.class)
                .hasMessageContaining("fields.lifetime_value is not a column of gold.customer_scores");
        Files.writeString(file, "fields { segment_name = \"Segment\" }\n");
        assertThatThrownBy(() -> ExportMapping.load(file.toString())).isInstanceOf(ConfigError.class)
                .hasMessageContaining("fields.customer_id is required");
        assertThatThrownBy(() -> ExportMapping.load("pipedrive")).isInstanceOf(ConfigError.class)
                .hasMessageContaining("no export mapping named 'pipedrive'");
    }
}
