package io.crmlake.scores;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.testing.SharedSpark;

/**
 * An analyst querying gold.customer_scores while the nightly scores job rewrites it (one MERGE per
 * night, rewriting the changed customers' files) always sees one committed version whole: every
 * count and checksum a reader observed equals those of a version in the table's history, never a
 * mix of two (a customer twice, or missing while their file is rewritten).
 */
class ConcurrentReaderTest {
    private static final LocalDate FIRST = LocalDate.parse("2026-11-01");
    private static final int NIGHTS = 4;
    private final SparkSession spark = SharedSpark.get();

    @Test
    void aReaderSeesOneCommittedVersionWholeWhileTheNightlyRewritesTheTable() throws Exception {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("concurrent-reader").toString());
        for (int n = 0; n < NIGHTS; n++) {
            night(lh, FIRST.plusDays(n), n);
        }
        CustomerScoresBatch scores = new CustomerScoresBatch(lh, Optional.empty());
        scores.run(FIRST); // the table exists before the reader starts
        String path = lh.path(Table.CUSTOMER_SCORES);

        AtomicBoolean writing = new AtomicBoolean(true);
        java.util.concurrent.CountDownLatch firstRead = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<List<Row>> reader = CompletableFuture.supplyAsync(() -> {
            List<Row> seen = new ArrayList<>();
            while (writing.get()) {
                seen.add(countAndChecksum(spark.read().format("delta").load(path)));
                firstRead.countDown();
            }
            return seen;
        });
        try {
            // The MERGEs start once the reader has read (its first query compiles and warms up),
            // so the reads span the writes rather than follow them.
            assertThat(firstRead.await(5, java.util.concurrent.TimeUnit.MINUTES)).as("the reader's first read").isTrue();
            for (int n = 1; n < NIGHTS; n++) {
                scores.run(FIRST.plusDays(n));
            }
        } finally {
            writing.set(false);
        }
        List<Row> seen = reader.get();

        Set<Row> committed = new HashSet<>();
        long latest = lh.delta(Table.CUSTOMER_SCORES).history(1).first().getAs("version");
        for (long v = 0; v <= latest; v++) {
            committed.add(countAndChecksum(spark.read().format("delta").option("versionAsOf", v).load(path)));
        }
        assertThat(latest).as("create + one MERGE per night").isEqualTo(NIGHTS);
        assertThat(seen).as("reads made while the nightly wrote").isNotEmpty();
        assertThat(committed).as("every version differs from the others").hasSize(NIGHTS + 1);
        assertThat(seen).as("each read is one committed version, whole").allMatch(committed::contains);
        // The reads overlapped the writes: they saw the table before and after at least one MERGE
        // (50 reads saw all 4 versions of the reader's span in a measured run).
        assertThat(new HashSet<>(seen)).as("distinct committed versions the reads saw").hasSizeGreaterThanOrEqualTo(2);
        System.out.printf("%d reads during %d MERGEs saw %d distinct versions%n", seen.size(), NIGHTS - 1,
                new HashSet<>(seen).size());
    }

    /** Row count and a checksum of every row's content, computed in one query (one snapshot). */
    private static Row countAndChecksum(Dataset<Row> table) {
        Column[] content = java.util.Arrays.stream(table.columns()).filter(c -> !c.equals("updated_at"))
                .map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        return table.agg(count(lit(1)), sum(xxhash64(content).cast("decimal(38,0)"))).first();
    }

    /**
     * The four gold inputs of one night for 100 + 10n customers: each night adds customers and moves
     * a third of the others to another segment and probability, so the MERGE rewrites files.
     */
    private void night(Lakehouse lh, LocalDate day, int n) {
        Dataset<Row> ids = spark.range(100 + 10L * n).select(
                col("id"), org.apache.spark.sql.functions.concat(lit("C"), col("id").cast("string")).as("customer_id"),
                lit(java.sql.Date.valueOf(day)).as("as_of_date"));
        append(lh, Table.CUSTOMER_FEATURES, ids.selectExpr("customer_id", "as_of_date",
                "CAST(id % 40 AS INT) AS recency_days", "id % 7 AS frequency",
                "CAST(id * 3.5 AS DECIMAL(14, 2)) AS monetary"));
        append(lh, Table.CUSTOMER_SEGMENTS, ids.selectExpr("customer_id", "as_of_date",
                "CAST((id + " + n + " * CAST(id % 3 = 0 AS INT)) % 4 AS INT) AS segment_id",
                "concat('segment ', (id + " + n + " * CAST(id % 3 = 0 AS INT)) % 4) AS segment_name",
                "0.5 AS distance", "'s1' AS model_version"));
        append(lh, Table.PURCHASE_PROPENSITY, ids.selectExpr("customer_id", "as_of_date", "30 AS horizon_days",
                "((id * 7 + " + n + " * CAST(id % 3 = 0 AS INT)) % 100) / 100.0 AS probability",
                "CAST(10 - ((id * 7 + " + n + " * CAST(id % 3 = 0 AS INT)) % 100) / 10 AS INT) AS decile",
                "'p1' AS model_version"));
        append(lh, Table.RECOMMENDATIONS, ids.selectExpr("customer_id", "as_of_date", "1 AS rank",
                "concat('P', id % 9) AS product_id", "0.5 AS score", "'popular' AS source", "'r1' AS model_version"));
    }

    private static void append(Lakehouse lh, Table t, Dataset<Row> rows) {
        rows.write().format("delta").mode("append").save(lh.path(t));
    }
}
