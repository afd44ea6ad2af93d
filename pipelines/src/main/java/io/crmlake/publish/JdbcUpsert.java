package io.crmlake.publish;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts rows (gold.customer_scores, or any rows with a key) into a PostgreSQL table in one
 * transaction: the table is created when missing (column types from the Spark schema, a primary
 * key on the key columns), the rows are loaded into a temporary staging table with COPY, then
 * {@code INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE ... WHERE row IS DISTINCT FROM new row}
 * inserts new keys and rewrites only rows whose values changed, and the transaction commits.
 * Downstream readers see the whole night or nothing; re-running the same rows changes nothing.
 *
 * <p><b>Deletions.</b> The same transaction may delete stored rows ({@link Deletion}): those whose
 * key is listed (customers erased from gold.customer_scores since the last export), loaded with
 * COPY into a second temporary table and removed with {@code DELETE ... USING}, never written into
 * the SQL; or every row whose key the upserted rows do not hold (a full export: the table then
 * mirrors the rows). Deletes run before the upsert, so a key both listed and sent ends up stored.
 * A reader never sees the upsert without the deletes or the other way round, and a re-run deletes
 * nothing more (a key no longer stored is skipped).
 *
 * <p><b>Why on the driver, in one transaction.</b> Spark's JDBC writer opens one connection and
 * transaction per partition and can only append or overwrite: it cannot upsert, and a failure
 * leaves the partitions that already committed in place. Atomicity and the idempotent upsert need
 * one connection, hence the driver. The scores of a night are modest (one row of a dozen values per
 * customer: a million customers are a few hundred MB of CSV), and the rows reach the driver with
 * {@link Dataset#toLocalIterator()}, one partition at a time, so the driver never holds the table.
 * A caller re-reading a Delta table per attempt (or caching the rows) gets the same rows on each.
 *
 * <p><b>Why COPY.</b> COPY streams rows in PostgreSQL's own bulk format, parsed by the server
 * without a statement per row; it is several times faster than batched INSERTs (which cost a
 * parse-bind-execute per row even when batched). COPY cannot upsert, so it fills a staging table
 * ({@code TEMP ... ON COMMIT DROP}: private to this connection and gone at commit or rollback)
 * and one INSERT ... ON CONFLICT moves the rows. The staging table has the same primary key: a
 * null or repeated key fails the COPY with the line and key in the message.
 * {@link JdbcTarget#batchSize()} rows are encoded and sent per COPY message.
 *
 * <p><b>Failures.</b> Any failure rolls the transaction back (the table, if this run created it,
 * included), so nothing partial is ever committed. Failures a later attempt may not meet (see
 * {@link TransientFailures}) are retried up to {@link JdbcTarget#maxAttempts()} in all, pausing
 * {@link JdbcTarget#initialBackoff()} and doubling; then, or at once for any other failure, a
 * {@link JdbcExportException} names the table, the URL and the user, and says what to do. A commit
 * whose acknowledgement was lost may be retried although it committed: harmless, as the upsert of
 * the same rows changes nothing. The password is never in a message.
 */
public final class JdbcUpsert {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcUpsert.class);
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final JdbcTarget target;

    /** Which stored rows an upsert deletes in its transaction. */
    public sealed interface Deletion {
        /** None: the plain upsert. */
        record None() implements Deletion {}

        /**
         * The rows whose key is among {@code keys} (a dataset with the key columns, by name);
         * a key that is not stored is skipped.
         */
        record Keys(Dataset<Row> keys) implements Deletion {}

        /** Every stored row whose key the upserted rows do not hold: the target ends up holding just them. */
        record KeysNotInRows() implements Deletion {}
    }

    public JdbcUpsert(JdbcTarget target) {
        this.target = target;
    }

    /** Upserts {@code rows} keyed on {@code keyColumns}, deleting nothing; see {@link #upsert(Dataset, List, Deletion)}. */
    public UpsertResult upsert(Dataset<Row> rows, List<String> keyColumns) {
        return upsert(rows, keyColumns, new Deletion.None());
    }

    /**
     * Upserts {@code rows} keyed on {@code keyColumns} and deletes what {@code deletion} names, in
     * one transaction; returns what was sent, inserted, updated and deleted.
     *
     * @throws JdbcExportException  the upsert failed (after the retries); nothing was committed
     * @throws IllegalArgumentException a key is not a column, or a column has no PostgreSQL type
     */
    public UpsertResult upsert(Dataset<Row> rows, List<String> keyColumns, Deletion deletion) {
        UpsertSql sql = new UpsertSql(rows.schema(), keyColumns, target.table());
        for (int attempt = 1; ; attempt++) {
            String password = target.password().get();
            try {
                return attempt(rows, sql, deletion, password);
            } catch (SQLException e) {
                boolean transientFailure = TransientFailures.isTransient(e);
                if (!transientFailure || attempt >= target.maxAttempts()) {
                    throw new JdbcExportException(FailureMessage.of(target, e, attempt, transientFailure, password),
                            e, transientFailure);
                }
                Duration pause = target.backoffAfter(attempt);
                LOG.warn("JDBC upsert into {}: attempt {} of {} failed ({}); retrying in {} ms", target.describe(),
                        attempt, target.maxAttempts(), FailureMessage.reason(e, password), pause.toMillis());
                sleep(pause);
            }
        }
    }

    /** One connection, one transaction: committed whole or rolled back whole. */
    private UpsertResult attempt(Dataset<Row> rows, UpsertSql sql, Deletion deletion, String password)
            throws SQLException {
        try (Connection connection = connect(password)) {
            connection.setAutoCommit(false);
            try {
                UpsertResult result = writeRows(connection, rows, sql, deletion);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
    }

    private UpsertResult writeRows(Connection connection, Dataset<Row> rows, UpsertSql sql, Deletion deletion)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql.createTargetIfMissing());
            java.util.Set<String> present = new java.util.HashSet<>();
            try (ResultSet none = statement.executeQuery(sql.selectNoRows())) {
                for (int i = 1; i <= none.getMetaData().getColumnCount(); i++) {
                    present.add(none.getMetaData().getColumnName(i));
                }
            }
            java.util.Optional<String> alter = sql.addMissingColumns(present);
            if (alter.isPresent()) {
                statement.execute(alter.get());
            }
            statement.execute(sql.createStaging());
        }
        long sent = copy(connection, rows, sql.copyIntoStaging());
        long deleted = delete(connection, rows.schema(), sql, deletion);
        try (Statement statement = connection.createStatement();
             ResultSet counts = statement.executeQuery(sql.upsertFromStaging())) {
            counts.next();
            return new UpsertResult(sent, counts.getLong(1), counts.getLong(2), deleted);
        }
    }

    /** Deletes what {@code deletion} names, after the rows are staged and before they are upserted. */
    private long delete(Connection connection, StructType rowsSchema, UpsertSql sql, Deletion deletion)
            throws SQLException {
        String delete;
        if (deletion instanceof Deletion.Keys listed) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql.createDeleteStaging());
            }
            // The keys typed as the rows' key columns, so that they compare equal to the stored ones.
            Column[] keys = sql.keys().stream()
                    .map(k -> listed.keys().col(k).cast(rowsSchema.apply(k).dataType()).as(k))
                    .toArray(Column[]::new);
            copy(connection, listed.keys().select(keys), sql.copyIntoDeleteStaging());
            delete = sql.deleteListedKeys();
        } else if (deletion instanceof Deletion.KeysNotInRows) {
            delete = sql.deleteKeysNotInStaging();
        } else {
            return 0;
        }
        try (Statement statement = connection.createStatement()) {
            return statement.executeLargeUpdate(delete);
        }
    }

    /** Streams the rows into a COPY ... FROM STDIN (the columns in the rows' order); returns how many. */
    private long copy(Connection connection, Dataset<Row> rows, String copySql) throws SQLException {
        StructType schema = rows.schema();
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            StringBuilder chunk = new StringBuilder();
            int rowsInChunk = 0;
            long sent = 0;
            Iterator<Row> iterator = rows.toLocalIterator();
            while (iterator.hasNext()) {
                CopyCsvRow.append(chunk, iterator.next(), schema);
                sent++;
                if (++rowsInChunk == target.batchSize()) {
                    send(copy, chunk);
                    rowsInChunk = 0;
                }
            }
            if (rowsInChunk > 0) {
                send(copy, chunk);
            }
            long copied = copy.endCopy();
            if (copied != sent) {
                throw new SQLException("COPY stored " + copied + " rows of the " + sent + " sent", "XX000");
            }
            return sent;
        } finally {
            if (copy.isActive()) {
                // Reached only when sending failed half-way: end the COPY so the rollback can run.
                try {
                    copy.cancelCopy();
                } catch (SQLException ignored) {
                    // the connection is likely gone; the rollback (or its absence) ends the transaction
                }
            }
        }
    }

    private static void send(CopyIn copy, StringBuilder chunk) throws SQLException {
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
    }

    private Connection connect(String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", target.user());
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "crmlake publish");
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("tcpKeepAlive", "true");
        // The driver directly, not DriverManager: under spark-submit the driver class sits in the
        // application's class loader, which DriverManager does not search.
        Connection connection = new org.postgresql.Driver().connect(target.url(), properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept the URL " + target.url(), "08001");
        }
        return connection;
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // A lost connection rolls back on the server by itself; keep the first failure.
            failure.addSuppressed(e);
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry the JDBC upsert", e);
        }
    }
}
