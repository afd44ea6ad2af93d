package io.crmlake.scores;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.testing.PlainRows;
import io.crmlake.testing.PythonVenv;
import io.crmlake.testing.SharedSpark;

/**
 * gold.customer_scores is plain Delta: delta-rs (the Python {@code deltalake} package, no Spark, no
 * JVM) opens the table exactly as the nightly batch writes it (MERGE, change data feed on) and
 * finds the same rows as Spark, in every column, at the same version. Two nights, so the reader
 * has to replay several MERGE commits (with their removes and change-data files) from the log.
 */
class DeltaRsReaderTest {
    private static final String READER = "pipelines/src/test/python/read_delta.py";
    private static final LocalDate NIGHT_1 = LocalDate.parse("2026-11-01");
    private static final LocalDate NIGHT_2 = LocalDate.parse("2026-11-02");
    private final SparkSession spark = SharedSpark.get();

    @Test
    void deltaRsReadsCustomerScoresAsSparkDoes() {
        Lakehouse lakehouse = new Lakehouse(spark, SharedSpark.tempDir("deltars").toString());
        night(lakehouse, NIGHT_1, List.of("A", "B", "C"), 40);
        assertThat(new CustomerScoresBatch(lakehouse, Optional.empty()).run(NIGHT_1)).isEqualTo(new CustomerScoresBatch.Outcome(3, 3, 0));
        night(lakehouse, NIGHT_2, List.of("A", "B", "C", "D"), 41); // B's recency moves, D signs up
        assertThat(new CustomerScoresBatch(lakehouse, Optional.empty()).run(NIGHT_2)).isEqualTo(new CustomerScoresBatch.Outcome(4, 1, 1));

        String table = lakehouse.path(Table.CUSTOMER_SCORES);
        PythonVenv.Output read = PythonVenv.run(READER, Path.of(URI.create(table)).toString());
        assertThat(read.exitCode()).as("%s failed: %s", READER, read.describe()).isZero();
        List<String> lines = read.stdout().lines().toList();
        Map<String, Object> header = PlainRows.fromJson(lines.get(0));
        List<Map<String, Object>> deltaRsRows = new ArrayList<>();
        lines.subList(1, lines.size()).forEach(line -> deltaRsRows.add(PlainRows.fromJson(line)));

        Dataset<Row> sparkRows = spark.read().format("delta").load(table).orderBy("customer_id");
        long sparkVersion = lakehouse.delta(Table.CUSTOMER_SCORES).history(1).first().getAs("version");
        assertThat(sparkVersion).as("create, night 1, night 2").isEqualTo(2L);
        assertThat(header.get("version")).as("version delta-rs read").isEqualTo(sparkVersion);
        assertThat(header.get("columns")).isEqualTo(List.of(sparkRows.columns()));
        assertThat(deltaRsRows).as("rows delta-rs read (protocol %s)", header.get("protocol"))
                .containsExactlyElementsOf(PlainRows.of(sparkRows));

        // What the comparison covers: both nights' values, an ordered array, decimals and nulls.
        assertThat(deltaRsRows).extracting(r -> r.get("customer_id")).containsExactly("A", "B", "C", "D");
        assertThat(deltaRsRows.get(0)).containsEntry("as_of_date", NIGHT_1.toString()) // unchanged on night 2
                .containsEntry("recommended_products", List.of("P7", "P2", "P1"))
                .containsEntry("monetary", "1234.50");
        assertThat(deltaRsRows.get(1)).containsEntry("as_of_date", NIGHT_2.toString()).containsEntry("recency_days", 41L)
                .containsEntry("recommended_products", null);
        assertThat(deltaRsRows.get(2)).containsEntry("segment_name", null).containsEntry("recency_days", null);
        assertThat(deltaRsRows.get(3)).containsEntry("as_of_date", NIGHT_2.toString());
        assertThat(deltaRsRows).allSatisfy(r -> assertThat((String) r.get("updated_at")).endsWith("Z"));
    }

    /** The four gold inputs of one night, for the given customers (B's recency as given). */
    private void night(Lakehouse lakehouse, LocalDate d, List<String> customers, int recencyOfB) {
        Date date = Date.valueOf(d);
        List<Row> features = new ArrayList<>();
        List<Row> segments = new ArrayList<>();
        List<Row> propensity = new ArrayList<>();
        for (String c : customers) {
            switch (c) {
                case "A" -> features.add(RowFactory.create(c, date, 3, 10L, new BigDecimal("1234.50")));
                case "B" -> features.add(RowFactory.create(c, date, recencyOfB, 1L, new BigDecimal("20.00")));
                case "C" -> features.add(RowFactory.create(c, date, null, 0L, new BigDecimal("0.00")));
                default -> features.add(RowFactory.create(c, date, 0, 1L, new BigDecimal("-5.25"))); // a refund
            }
            if (!c.equals("C")) { // C is not segmented: null segment_name
                segments.add(RowFactory.create(c, date, 0, c.equals("A") ? "Champions" : "Hibernating", 0.1, "s1"));
            }
            propensity.add(RowFactory.create(c, date, 30, 0.1 * (c.charAt(0) - 'A' + 1) / 3, c.charAt(0) - 'A' + 1, "p1"));
        }
        List<Row> recommendations = List.of( // B gets none: null recommended_products
                RowFactory.create("A", date, 2, "P2", 0.5, "als", "r1"),
                RowFactory.create("A", date, 1, "P7", 0.9, "als", "r1"),
                RowFactory.create("A", date, 3, "P1", 0.1, "als", "r1"),
                RowFactory.create("C", date, 1, "P5", 0.3, "popular", "r1"));
        append(lakehouse, Table.CUSTOMER_FEATURES, features, new StructType().add("customer_id", "string")
                .add("as_of_date", "date").add("recency_days", "int").add("frequency", "long")
                .add("monetary", DataTypes.createDecimalType(14, 2)));
        append(lakehouse, Table.CUSTOMER_SEGMENTS, segments, new StructType().add("customer_id", "string")
                .add("as_of_date", "date").add("segment_id", "int").add("segment_name", "string")
                .add("distance", "double").add("model_version", "string"));
        append(lakehouse, Table.PURCHASE_PROPENSITY, propensity, new StructType().add("customer_id", "string")
                .add("as_of_date", "date").add("horizon_days", "int").add("probability", "double")
                .add("decile", "int").add("model_version", "string"));
        append(lakehouse, Table.RECOMMENDATIONS, recommendations, new StructType().add("customer_id", "string")
                .add("as_of_date", "date").add("rank", "int").add("product_id", "string").add("score", "double")
                .add("source", "string").add("model_version", "string"));
    }

    private void append(Lakehouse lakehouse, Table t, List<Row> rows, StructType schema) {
        spark.createDataFrame(rows, schema).write().format("delta").mode("append").save(lakehouse.path(t));
    }
}
