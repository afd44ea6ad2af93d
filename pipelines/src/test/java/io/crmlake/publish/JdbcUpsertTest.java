package io.crmlake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.crmlake.config.SecretSource;
import io.crmlake.scores.CustomerScores;
import io.crmlake.testing.PostgresServer;
import io.crmlake.testing.SharedSpark;

/**
 * The JDBC upsert of gold.customer_scores against a real PostgreSQL (bin/pg-test-server, started
 * by {@link PostgresServer}): table creation, idempotent re-runs, single-row updates, and failures
 * that commit nothing. Every test writes its own table.
 */
class JdbcUpsertTest {
    private static final List<String> KEY = List.of("customer_id");
    private static final Date AS_OF = Date.valueOf("2026-11-01");
    private static final Timestamp UPDATED = Timestamp.from(Instant.parse("2026-11-01T06:30:00.123456Z"));

    private final SparkSession spark = SharedSpark.get();
    private PostgresServer.Endpoint server;
    private String table;

    @BeforeEach
    void freshTable() {
        server = PostgresServer.get();
        table = "customer_scores_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JdbcTarget target() {
        // Read at connect time from the server's password file, as a secrets file would be.
        return JdbcTarget.of(server.url(), table, server.user(), SecretSource.fromFile(server.passwordFile(), "the database password"))
                .withBatchSize(2)
                .withRetries(3, Duration.ofMillis(200));
    }

    private static Row score(String id, String segment, Double probability, Integer decile, List<String> products,
            Integer recency, long frequency, String monetary) {
        return RowFactory.create(id, AS_OF, segment, probability, decile, products, recency, frequency,
                new BigDecimal(monetary), UPDATED, "key-" + id);
    }

    private Dataset<Row> scores(Row... rows) {
        return spark.createDataFrame(Arrays.asList(rows), CustomerScores.SCHEMA);
    }

    private static Row a() {
        return score("A", "Champions", 0.9, 1, List.of("P7", "P2", "P1"), 3, 10L, "500.00");
    }

    private static Row b() {
        return score("B", "Hibernating", 0.1, 10, null, 40, 1L, "20.00");
    }

    /** Values COPY's CSV and PostgreSQL's array literal both need to escape. */
    private static Row c() {
        return score("C", null, 0.2, 9, List.of("P\"5", "a,b", "back\\slash", "{x}", ""), null, 0L, "0.00");
    }

    /** Every row as PostgreSQL prints it, with the transaction that wrote it: equal means untouched. */
    private List<String> snapshot() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = server.open(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT t::text, xmin::text FROM " + table + " t ORDER BY customer_id")) {
            while (r.next()) {
                rows.add(r.getString(1) + " @" + r.getString(2));
            }
        }
        return rows;
    }

    private boolean tableExists() throws SQLException {
        try (Connection c = server.open(); PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static String everything(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void firstLoadCreatesTheTableWithMappedTypesAndInsertsEveryRow() throws SQLException {
        UpsertResult result = new JdbcUpsert(target()).upsert(scores(a(), b(), c()), KEY);

        assertThat(result).isEqualTo(new UpsertResult(3, 3, 0));
        try (Connection conn = server.open(); Statement s = conn.createStatement()) {
            List<String> columns = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT column_name || ' ' || udt_name FROM information_schema.columns"
                    + " WHERE table_name = '" + table + "' ORDER BY ordinal_position")) {
                while (r.next()) {
                    columns.add(r.getString(1));
                }
            }
            assertThat(columns).containsExactly("customer_id text", "as_of_date date", "segment_name text",
                    "purchase_probability float8", "propensity_decile int4", "recommended_products _text",
                    "recency_days int4", "frequency int8", "monetary numeric", "updated_at timestamptz", "email_sha256 text");
            try (ResultSet r = s.executeQuery("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                    + " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                    + " WHERE i.indrelid = '" + table + "'::regclass AND i.indisprimary")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("customer_id");
                assertThat(r.next()).isFalse();
            }
            try (ResultSet r = s.executeQuery("SELECT * FROM " + table + " ORDER BY customer_id")) {
                r.next();
                assertThat(r.getString("segment_name")).isEqualTo("Champions");
                assertThat((String[]) r.getArray("recommended_products").getArray()).containsExactly("P7", "P2", "P1");
                assertThat(r.getBigDecimal("monetary")).isEqualByComparingTo("500.00");
                assertThat(r.getLong("frequency")).isEqualTo(10L);
                assertThat(r.getDate("as_of_date").toLocalDate()).isEqualTo(AS_OF.toLocalDate());
                assertThat(r.getObject("updated_at", OffsetDateTime.class).toInstant()).isEqualTo(UPDATED.toInstant());
                r.next();
                assertThat(r.getArray("recommended_products")).isNull();
                assertThat(r.getInt("propensity_decile")).isEqualTo(10);
                r.next();
                assertThat(r.getString("segment_name")).isNull();
                r.getInt("recency_days");
                assertThat(r.wasNull()).isTrue();
                assertThat((String[]) r.getArray("recommended_products").getArray())
                        .containsExactly("P\"5", "a,b", "back\\slash", "{x}", "");
            }
        }
    }

    /** A table an earlier crmlake created gains the new columns; a column of the target's own stays. */
    @Test
    void anOlderTargetTableGainsTheNewColumns() throws SQLException {
        try (Connection c = server.open(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (customer_id text PRIMARY KEY, as_of_date date, segment_name text,"
                    + " purchase_probability float8, propensity_decile int4, recommended_products text[],"
                    + " recency_days int4, frequency int8, monetary numeric, updated_at timestamptz, crm_owner text)");
        }
        assertThat(new JdbcUpsert(target()).upsert(scores(a(), b()), KEY)).isEqualTo(new UpsertResult(2, 2, 0));
        try (Connection c = server.open(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT email_sha256, crm_owner FROM " + table + " ORDER BY customer_id")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("key-A");
            assertThat(r.getString(2)).isNull();
        }
    }

    @Test
    void reRunningTheSameRowsChangesNothing() throws SQLException {
        JdbcUpsert upsert = new JdbcUpsert(target());
        upsert.upsert(scores(a(), b(), c()), KEY);
        List<String> before = snapshot();

        UpsertResult again = upsert.upsert(scores(a(), b(), c()), KEY);

        assertThat(again).isEqualTo(new UpsertResult(3, 0, 0));
        assertThat(again.unchanged()).isEqualTo(3);
        assertThat(snapshot()).isEqualTo(before); // same values, same row versions: nothing rewritten
    }

    @Test
    void changingOneCustomerUpdatesExactlyThatRowAndANewOneIsInserted() throws SQLException {
        JdbcUpsert upsert = new JdbcUpsert(target());
        upsert.upsert(scores(a(), b(), c()), KEY);
        List<String> before = snapshot();
        Row bMoved = score("B", "At risk", 0.3, 7, List.of("P9"), 41, 1L, "20.00");
        Row d = score("D", "New", 0.5, 5, List.of(), 1, 1L, "12.50");

        UpsertResult result = upsert.upsert(scores(a(), bMoved, c(), d), KEY);

        assertThat(result).isEqualTo(new UpsertResult(4, 1, 1));
        List<String> after = snapshot();
        assertThat(after).hasSize(4);
        assertThat(after.get(0)).isEqualTo(before.get(0)); // A untouched
        assertThat(after.get(2)).isEqualTo(before.get(2)); // C untouched
        assertThat(after.get(1)).contains("\"At risk\"").contains("{P9}").isNotEqualTo(before.get(1));
        assertThat(after.get(3)).startsWith("(D,");
    }

    /**
     * Listed keys are deleted in the upsert's transaction: when the upsert fails, nothing is
     * deleted either; a key that is not stored (or no longer) is skipped, so a re-run deletes nothing.
     */
    @Test
    void listedKeysGoInTheSameTransactionAsTheUpsertAndAReRunDeletesNothing() throws SQLException {
        try (Connection c = server.open(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (customer_id text PRIMARY KEY, propensity_decile int"
                    + " CONSTRAINT decile_range CHECK (propensity_decile BETWEEN 1 AND 10))");
        }
        JdbcUpsert upsert = new JdbcUpsert(target());
        upsert.upsert(scores(a(), b(), c()), KEY);
        List<String> before = snapshot();
        Row bMoved = score("B", "At risk", 0.3, 7, List.of("P9"), 41, 1L, "20.00");
        JdbcUpsert.Deletion eraseA = new JdbcUpsert.Deletion.Keys(
                spark.createDataFrame(List.of(RowFactory.create("A"), RowFactory.create("Z")), ScoreChanges.DELETED_IDS));

        // The deletes run before the upsert, which then breaks the table's rule: all rolled back.
        Row broken = score("X", "New", 0.5, 11, null, 1, 1L, "1.00");
        assertThatThrownBy(() -> upsert.upsert(scores(bMoved, broken), KEY, eraseA))
                .isInstanceOf(JdbcExportException.class).hasMessageContaining("decile_range")
                .hasMessageContaining("Nothing was committed");
        assertThat(snapshot()).as("a failed upsert deletes nothing").isEqualTo(before);

        assertThat(upsert.upsert(scores(bMoved), KEY, eraseA)).isEqualTo(new UpsertResult(1, 0, 1, 1));
        List<String> after = snapshot();
        assertThat(after).hasSize(2);
        assertThat(after.get(0)).startsWith("(B,").contains("\"At risk\"");
        assertThat(after.get(1)).isEqualTo(before.get(2)); // C untouched

        assertThat(upsert.upsert(scores(bMoved), KEY, eraseA)).isEqualTo(new UpsertResult(1, 0, 0, 0));
        assertThat(snapshot()).isEqualTo(after);
    }

    /** A full export: every stored row the rows do not hold goes, in the same transaction. */
    @Test
    void keysNotInRowsLeaveTheTableHoldingExactlyTheRows() throws SQLException {
        JdbcUpsert upsert = new JdbcUpsert(target());
        upsert.upsert(scores(a(), b(), c()), KEY);
        List<String> before = snapshot();

        UpsertResult full = upsert.upsert(scores(a(), c()), KEY, new JdbcUpsert.Deletion.KeysNotInRows());

        assertThat(full).isEqualTo(new UpsertResult(2, 0, 0, 1));
        assertThat(snapshot()).containsExactly(before.get(0), before.get(2));
    }

    @Test
    void aRowBreakingAConstraintMidwayCommitsNothingAndIsNotRetried() throws SQLException {
        // The downstream CRM's own table, with a rule the export does not know about.
        try (Connection c = server.open(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (customer_id text PRIMARY KEY, as_of_date date, segment_name text,"
                    + " purchase_probability double precision, propensity_decile int CONSTRAINT decile_range"
                    + " CHECK (propensity_decile BETWEEN 1 AND 10), recommended_products text[], recency_days int,"
                    + " frequency bigint, monetary numeric(14,2), updated_at timestamptz)");
        }
        JdbcUpsert upsert = new JdbcUpsert(target().withRetries(3, Duration.ofSeconds(30)));
        upsert.upsert(scores(a(), b()), KEY);
        List<String> before = snapshot();
        Row aChanged = score("A", "Loyal", 0.8, 2, List.of("P1"), 5, 11L, "510.00");
        Row broken = score("X", "New", 0.5, 11, null, 1, 1L, "1.00");
        Row cNew = c();

        long started = System.nanoTime();
        assertThatThrownBy(() -> upsert.upsert(scores(aChanged, b(), broken, cNew, score("E", "New", 0.4, 6, null, 2, 1L, "3.00")), KEY))
                .isInstanceOf(JdbcExportException.class)
                .satisfies(e -> {
                    assertThat(((JdbcExportException) e).isTransient()).isFalse();
                    assertThat(e.getMessage())
                            .contains(table).contains(server.url()).contains("decile_range")
                            .contains("Nothing was committed").contains("Not retried");
                    assertThat(everything(e)).doesNotContain(server.password());
                });

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30)); // no backoff
        assertThat(snapshot()).isEqualTo(before); // A's change and the new rows before the bad one: all gone
    }

    @Test
    void aDuplicateKeyInTheMiddleOfTheCopyRollsBackEvenTheTableCreation() throws SQLException {
        Row bAgain = score("B", "Loyal", 0.5, 5, null, 4, 2L, "30.00");

        assertThatThrownBy(() -> new JdbcUpsert(target()).upsert(scores(a(), b(), bAgain, c()), KEY))
                .isInstanceOf(JdbcExportException.class)
                .hasMessageContaining("(customer_id)=(B)")
                .hasMessageContaining("Nothing was committed");

        assertThat(tableExists()).isFalse();
    }

    @Test
    void aWrongPasswordFailsAtOnceWithoutShowingIt() {
        String wrong = "not-the-password-4711";
        JdbcTarget target = JdbcTarget.of(server.url(), table, server.user(), () -> wrong)
                .withRetries(5, Duration.ofSeconds(30));

        assertThatThrownBy(() -> new JdbcUpsert(target).upsert(scores(a()), KEY))
                .isInstanceOf(JdbcExportException.class)
                .hasMessageContaining("check the user and the password")
                .satisfies(e -> assertThat(everything(e)).doesNotContain(wrong));
    }

    @Test
    void aStoppedServerFailsAfterTheBoundedRetriesAndTheRerunAfterARestartSucceeds() throws SQLException {
        String password = server.password();
        // The password itself, not its file: stopping the server deletes the file.
        JdbcTarget target = JdbcTarget.of(server.url(), table, server.user(), () -> password)
                .withRetries(3, Duration.ofMillis(200));
        new JdbcUpsert(target).upsert(scores(a(), b()), KEY);
        int port = server.port();

        PostgresServer.stop();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> new JdbcUpsert(target).upsert(scores(a(), b(), c()), KEY))
                    .isInstanceOf(JdbcExportException.class)
                    .satisfies(e -> {
                        assertThat(((JdbcExportException) e).isTransient()).isTrue();
                        assertThat(e.getMessage())
                                .startsWith("JDBC upsert into table " + table + " at " + server.url())
                                .contains("failed after 3 attempts")
                                .contains("Nothing was committed")
                                .contains("re-run");
                        assertThat(everything(e)).doesNotContain(password);
                    });
            // Two pauses between three attempts: 200 ms, then 400 ms.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        } finally {
            server = PostgresServer.start(port, password);
        }

        // A new, empty server where the old one was: the re-run creates and fills the table.
        assertThat(new JdbcUpsert(target).upsert(scores(a(), b(), c()), KEY)).isEqualTo(new UpsertResult(3, 3, 0));
        assertThat(snapshot()).hasSize(3);
    }

    @Test
    void retriesOutlastAShortOutage() throws Exception {
        String password = server.password();
        int port = server.port();
        JdbcTarget target = JdbcTarget.of(server.url(), table, server.user(), () -> password)
                .withRetries(8, Duration.ofMillis(500)); // pauses add up to a minute
        Dataset<Row> rows = scores(a(), b(), c());

        PostgresServer.stop();
        CompletableFuture<PostgresServer.Endpoint> restart = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return PostgresServer.start(port, password);
        });
        try {
            assertThat(restart).isNotDone(); // the first attempt meets a stopped server
            long started = System.nanoTime();
            UpsertResult result = new JdbcUpsert(target).upsert(rows, KEY);
            assertThat(result).isEqualTo(new UpsertResult(3, 3, 0));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        } finally {
            server = restart.get(5, TimeUnit.MINUTES);
        }
        assertThat(snapshot()).hasSize(3);
    }
}
