package io.crmlake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.crmlake.config.PublishSettings;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.ops.JobRun;
import io.crmlake.ops.OpsTables;
import io.crmlake.scores.CustomerScores;
import io.crmlake.testing.PostgresServer;
import io.crmlake.testing.SharedSpark;

/**
 * publish on real Delta tables and a real file system: a full first export, a no-op re-run,
 * changes-only nights that send material changes only, and the circuit breaker refusing (and
 * being forced past) a night that looks wrong.
 */
class PublishBatchTest {
    private static final LocalDate DAY1 = LocalDate.parse("2026-11-01");
    private static final LocalDate DAY2 = DAY1.plusDays(1);
    private static final StructType PROPENSITY = new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("as_of_date", DataTypes.DateType)
            .add("probability", DataTypes.DoubleType);
    private static final PublishSettings SETTINGS = new PublishSettings(true,
            List.of("segment_name", "propensity_decile", "recommended_products"),
            new PublishSettings.Files(true, "canonical"), false,
            new PublishSettings.Breaker(List.of("orders"), 0.2, 5.0, 14, 3, 0.25));

    private final SparkSession spark = SharedSpark.get();

    @Test
    void firstNightFullThenUnchangedThenMaterialChangesOnly() throws IOException {
        Night n = new Night();
        n.scores(DAY1, List.of(row("C1", DAY1, "Loyal", 0.50, 3), row("C2", DAY1, "New", 0.20, 8),
                row("C3", DAY1, "At risk", 0.10, 9)));
        n.healthy(DAY1, 1000);
        PublishBatch.Outcome first = n.publish(DAY1, new PublishBatch.Options(false, false, null));
        assertThat(first.sent()).singleElement().satisfies(s -> {
            assertThat(s.mode()).isEqualTo("full");
            assertThat(s.rows()).isEqualTo(3);
        });
        assertThat(n.csv(DAY1)).hasSize(4);

        PublishBatch.Outcome again = n.publish(DAY1, new PublishBatch.Options(false, false, null));
        assertThat(again.sent()).singleElement().satisfies(s -> assertThat(s.mode()).isEqualTo("unchanged"));
        assertThat(n.csv(DAY1)).hasSize(4);

        // Night 2: every row's as_of_date moves; C1's probability moves in its third decimal (not
        // material), C2 changes segment (material), C3 is unchanged but for the date.
        n.scores(DAY2, List.of(row("C1", DAY2, "Loyal", 0.503, 3), row("C2", DAY2, "Loyal", 0.20, 8),
                row("C3", DAY2, "At risk", 0.10, 9)));
        n.healthy(DAY2, 1100);
        PublishBatch.Outcome second = n.publish(DAY2, new PublishBatch.Options(false, false, null));
        assertThat(second.sent()).singleElement().satisfies(s -> {
            assertThat(s.mode()).isEqualTo("changes");
            assertThat(s.rows()).isEqualTo(1);
        });
        assertThat(n.csv(DAY2)).hasSize(2).last().asString().startsWith("C2,2026-11-02,Loyal,");
        assertThat(new ExportState(n.lh).last(FileTarget.NAME).orElseThrow().tableVersion())
                .isEqualTo(second.tableVersion());

        PublishBatch.Outcome full = n.publish(DAY2, new PublishBatch.Options(true, false, null));
        assertThat(full.sent().get(0).rows()).isEqualTo(3);
        assertThat(n.csv(DAY2)).hasSize(4);
    }

    @Test
    void theDatabaseGetsChangesOnlyAndAFailedNightIsSentAgain() throws SQLException {
        PostgresServer.Endpoint server = PostgresServer.get();
        String password = server.password(); // kept: a restart deletes the password file
        String table = "scores_" + Long.toHexString(System.nanoTime());
        ExportTarget db = new JdbcExportTarget(JdbcTarget.of(server.url(), table, server.user(), () -> password)
                .withRetries(2, Duration.ofMillis(200)));
        Night n = new Night();
        PublishBatch.Options plain = new PublishBatch.Options(false, false, null);
        n.scores(DAY1, List.of(row("C1", DAY1, "Loyal", 0.5, 3), row("C2", DAY1, "New", 0.2, 8)));
        n.healthy(DAY1, 1000);
        assertThat(n.publish(DAY1, plain, db).sent().get(0).rows()).isEqualTo(2);
        assertThat(n.publish(DAY1, plain, db).sent().get(0).mode()).isEqualTo("unchanged");
        assertThat(segments(server, password, table)).containsExactly("C1 Loyal", "C2 New");

        n.scores(DAY2, List.of(row("C1", DAY2, "Loyal", 0.5, 3), row("C2", DAY2, "Loyal", 0.2, 8)));
        n.healthy(DAY2, 1000);
        assertThat(n.publish(DAY2, plain, db).sent().get(0).rows()).isEqualTo(1);
        assertThat(segments(server, password, table)).containsExactly("C1 Loyal", "C2 Loyal");
        long exported = new ExportState(n.lh).last(JdbcExportTarget.NAME).orElseThrow().tableVersion();

        LocalDate day3 = DAY2.plusDays(1);
        n.scores(day3, List.of(row("C1", day3, "At risk", 0.5, 3), row("C2", day3, "Loyal", 0.2, 8)));
        n.healthy(day3, 1000);
        int port = server.port();
        PostgresServer.stop();
        try {
            assertThatThrownBy(() -> n.publish(day3, plain, db)).isInstanceOf(JdbcExportException.class)
                    .hasMessageContaining("failed after 2 attempts").hasMessageContaining("Nothing was committed");
            assertThat(new ExportState(n.lh).last(JdbcExportTarget.NAME).orElseThrow().tableVersion())
                    .as("the state does not advance past a failed export").isEqualTo(exported);
        } finally {
            server = PostgresServer.start(port, password);
        }
        // The restarted server is a new, empty one: the re-run sends the night's change again.
        assertThat(n.publish(day3, plain, db).sent().get(0).rows()).isEqualTo(1);
        assertThat(segments(server, password, table)).containsExactly("C1 At risk");
    }

    /**
     * An erasure (a Delta DELETE in gold.customer_scores, as forget does) travels with the next
     * changes-only export: the database row goes in the upsert's transaction, the file export lists
     * the id (under the mapping's field name); a re-run sends nothing more. A full export then
     * makes the database table hold exactly the table's customers.
     */
    @Test
    void anErasureReachesTheDatabaseAndTheFilesWithTheNextChangesOnlyExport() throws IOException, SQLException {
        PostgresServer.Endpoint server = PostgresServer.get();
        String password = server.password();
        String table = "erased_" + Long.toHexString(System.nanoTime());
        ExportTarget db = new JdbcExportTarget(JdbcTarget.of(server.url(), table, server.user(), () -> password));
        // Erasing one of three customers shifts the tiny score distribution; PSI is not tested here.
        Night n = new Night(new PublishSettings.Breaker(List.of("orders"), 0.2, 5.0, 14, 3, 100.0));
        ExportTarget files = new FileTarget(n.exports.toString(), ExportMapping.load("hubspot"));
        PublishBatch.Options plain = new PublishBatch.Options(false, false, null);
        n.scores(DAY1, List.of(row("C1", DAY1, "Loyal", 0.5, 3), row("C2", DAY1, "New", 0.2, 8),
                row("C3", DAY1, "At risk", 0.1, 9)));
        n.healthy(DAY1, 1000);
        assertThat(n.publish(DAY1, plain, files, db).sent()).extracting(PublishBatch.Sent::mode, PublishBatch.Sent::rows)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("full", 3L));
        assertThat(n.deletedCsv(DAY1)).containsExactly("crmlake_customer_id");

        n.lh.delta(Table.CUSTOMER_SCORES).delete(org.apache.spark.sql.functions.col("customer_id").equalTo("C1"));
        n.scores(DAY2, List.of(row("C2", DAY2, "Loyal", 0.2, 8), row("C3", DAY2, "At risk", 0.1, 9)));
        n.healthy(DAY2, 1000);
        PublishBatch.Outcome second = n.publish(DAY2, plain, files, db);
        assertThat(second.sent()).allSatisfy(s -> {
            assertThat(s.mode()).isEqualTo("changes");
            assertThat(s.rows()).as("C2's new segment").isEqualTo(1);
            assertThat(s.deletions()).as("C1").isEqualTo(1);
        });
        assertThat(second.sent().get(1).where()).contains("1 updated", "1 deleted");
        assertThat(segments(server, password, table)).containsExactly("C2 Loyal", "C3 At risk");
        assertThat(n.deletedCsv(DAY2)).containsExactly("crmlake_customer_id", "C1");
        assertThat(Files.readAllLines(n.exports.resolve("customer_scores/" + DAY2 + "/customer_scores.csv")))
                .hasSize(2).last().asString().startsWith("C2,Loyal,");
        assertThat(new ExportState(n.lh).last(JdbcExportTarget.NAME).orElseThrow().deletions()).isEqualTo(1);

        PublishBatch.Outcome again = n.publish(DAY2, plain, files, db);
        assertThat(again.sent()).extracting(PublishBatch.Sent::mode).containsOnly("unchanged");
        assertThat(segments(server, password, table)).containsExactly("C2 Loyal", "C3 At risk");
        assertThat(n.deletedCsv(DAY2)).containsExactly("crmlake_customer_id", "C1");

        // A row the table does not hold (say, erased before the target's state was lost): a full
        // export removes it, in the same transaction as its upsert.
        try (Connection c = java.sql.DriverManager.getConnection(server.url(), server.user(), password)) {
            c.createStatement().execute("INSERT INTO " + table + " (customer_id, segment_name) VALUES ('C1', 'Loyal')");
        }
        PublishBatch.Outcome full = n.publish(DAY2, new PublishBatch.Options(true, false, null), db);
        assertThat(full.sent().get(0).where()).contains("1 deleted (not in gold.customer_scores)");
        assertThat(segments(server, password, table)).containsExactly("C2 Loyal", "C3 At risk");
    }

    private static List<String> segments(PostgresServer.Endpoint server, String password, String table)
            throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = java.sql.DriverManager.getConnection(server.url(), server.user(), password);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT customer_id, segment_name FROM " + table + " ORDER BY customer_id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }

    @Test
    void theBreakerRefusesAWrongNightAndTheLastGoodExportStays() throws IOException {
        // One earlier day is enough history here (the default asks for three): keeps the test short.
        Night n = new Night(new PublishSettings.Breaker(List.of("orders"), 0.2, 5.0, 14, 1, 0.25));
        n.scores(DAY1, List.of(row("C1", DAY1, "Loyal", 0.5, 3), row("C2", DAY1, "New", 0.2, 8)));
        n.healthy(DAY1, 1002);
        n.publish(DAY1, new PublishBatch.Options(false, false, null));
        LocalDate bad = DAY2;
        n.scores(bad, List.of(row("C1", bad, "Champions", 0.5, 1), row("C2", bad, "New", 0.2, 8)));
        n.healthy(bad, 40); // an export truncated to 4 % of a normal day
        n.jobRun(bad, "clean", JobRun.FAILED, "quality gate failed for orders");
        long versionBefore = new ExportState(n.lh).last(FileTarget.NAME).orElseThrow().tableVersion();

        assertThatThrownBy(() -> n.publish(bad, new PublishBatch.Options(false, false, null)))
                .isInstanceOf(PublishRefused.class)
                .hasMessageContaining("publish refused for 2026-11-02")
                .hasMessageContaining("clean failed: quality gate failed for orders")
                .hasMessageContaining("volume_orders: 40 orders rows against a median of 1,002 over 1 earlier days");
        assertThat(new ExportState(n.lh).last(FileTarget.NAME).orElseThrow().tableVersion()).isEqualTo(versionBefore);
        assertThat(n.exports.resolve("customer_scores/2026-11-02")).doesNotExist();

        PublishBatch.Outcome forced = n.publish(bad, new PublishBatch.Options(false, true, "orders file re-sent by hand"));
        assertThat(forced.sent().get(0).rows()).isEqualTo(1);
        List<Row> overridden = spark.read().format("delta").load(n.lh.path(Table.PUBLISH_CHECKS))
                .where("forced").collectAsList();
        assertThat(overridden).extracting(r -> r.<String>getAs("check")).containsExactlyInAnyOrder("upstream", "volume_orders");
        assertThat(overridden).extracting(r -> r.<String>getAs("force_reason")).containsOnly("orders file re-sent by hand");
    }

    @Test
    void aShiftedScoreDistributionTripsThePsiCheck() {
        Night n = new Night();
        List<Row> before = new ArrayList<>();
        List<Row> after = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            before.add(RowFactory.create("C" + i, Date.valueOf(DAY1), i / 200.0));
            after.add(RowFactory.create("C" + i, Date.valueOf(DAY2), 0.9 + i / 2000.0));
        }
        n.propensity(before);
        n.propensity(after);
        CircuitBreaker.Check psi = new CircuitBreaker(n.lh, SETTINGS.breaker()).scoreStability(DAY2);
        assertThat(psi.passed()).isFalse();
        assertThat(psi.detail()).startsWith("PSI ").endsWith("against 2026-11-01 (max 0.25)");
        assertThat(PopulationStability.psi(spark.createDataFrame(before, PROPENSITY),
                spark.createDataFrame(before, PROPENSITY), "probability", 10)).isLessThan(0.01);
    }

    private static Row row(String id, LocalDate day, String segment, double probability, int decile) {
        return RowFactory.create(id, Date.valueOf(day), segment, probability, decile, new String[]{"P1", "P2"}, 3, 2L,
                new BigDecimal("10.00"), Timestamp.from(Instant.parse("2026-11-01T03:00:00Z")), "key-" + id);
    }

    /** A temporary lakehouse with the tables publish reads, filled night by night. */
    private final class Night {
        final Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("publish").toString());
        final Path exports = SharedSpark.tempDir("publish-exports");
        final PublishSettings settings;

        Night() {
            this(SETTINGS.breaker());
        }

        Night(PublishSettings.Breaker breaker) {
            settings = new PublishSettings(SETTINGS.changesOnly(), SETTINGS.materialColumns(), SETTINGS.files(),
                    SETTINGS.jdbcEnabled(), breaker);
        }

        void scores(LocalDate day, List<Row> rows) {
            lh.createIfMissing(Table.CUSTOMER_SCORES, CustomerScores.SCHEMA, Map.of("delta.enableChangeDataFeed", "true"));
            lh.delta(Table.CUSTOMER_SCORES).as("t")
                    .merge(spark.createDataFrame(rows, CustomerScores.SCHEMA).as("s"), "t.customer_id = s.customer_id")
                    .whenMatched().updateAll().whenNotMatched().insertAll().execute();
            List<Row> probabilities = new ArrayList<>();
            for (Row r : rows) {
                probabilities.add(RowFactory.create(r.getString(0), Date.valueOf(day), r.getDouble(3)));
            }
            propensity(probabilities);
        }

        void propensity(List<Row> rows) {
            spark.createDataFrame(rows, PROPENSITY).write().format("delta").mode("append")
                    .save(lh.path(Table.PURCHASE_PROPENSITY));
        }

        /** Every upstream job succeeded and {@code orders} order rows landed. */
        void healthy(LocalDate day, long orders) {
            Timestamp at = Timestamp.from(Instant.now());
            List<Row> runs = new ArrayList<>();
            for (String job : CircuitBreaker.UPSTREAM) { // one commit for the night's runs: keeps the test quick
                runs.add(RowFactory.create(job + "-" + day, job, Date.valueOf(day), at, at, JobRun.SUCCEEDED, 0L, 0L, 0L,
                        "ok"));
            }
            spark.createDataFrame(runs, OpsTables.JOB_RUNS_SCHEMA).write().format("delta").mode("append")
                    .save(lh.path(Table.JOB_RUNS));
            new OpsTables(lh).writeDqResults(day, List.of("orders"),
                    List.of(new OpsTables.DqRow("orders", "inserted", "info", orders, orders)), "run-" + day);
        }

        void jobRun(LocalDate day, String job, String status, String message) {
            Instant at = Instant.now();
            new OpsTables(lh).appendJobRun(new JobRun(job + "-" + day + "-" + at, job, day, at, at, status, 0, 0, 0,
                    message));
        }

        PublishBatch.Outcome publish(LocalDate day, PublishBatch.Options options) {
            return publish(day, options, new FileTarget(exports.toString(), ExportMapping.canonical()));
        }

        PublishBatch.Outcome publish(LocalDate day, PublishBatch.Options options, ExportTarget... targets) {
            return new PublishBatch(lh, settings, List.of(targets)).run(day, "publish-" + day, options, line -> { });
        }

        List<String> csv(LocalDate day) throws IOException {
            return Files.readAllLines(exports.resolve("customer_scores/" + day + "/customer_scores.csv"));
        }

        List<String> deletedCsv(LocalDate day) throws IOException {
            return Files.readAllLines(exports.resolve("customer_scores/" + day + "/" + FileExport.DELETED_CSV_FILE));
        }
    }
}
