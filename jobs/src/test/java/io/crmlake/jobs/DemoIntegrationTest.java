package io.crmlake.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.crmlake.clean.CleanBatch;
import io.crmlake.clean.SilverMerge;
import io.crmlake.features.CustomerFeatures;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.privacy.MatchKey;
import io.crmlake.ops.OpsTables;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;
import io.crmlake.testing.Folders;
import io.crmlake.testing.SharedSpark;

/**
 * The demo through the real command line on generated data with planted dirt, into a temporary
 * warehouse ({@link DemoWarehouse}, shared with other tests): every table exists with its contract
 * schema, every landed row is accounted for, the dirt the generator planted is found, and a second
 * run changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIntegrationTest {
    private static final int DAYS = DemoWarehouse.DAYS;
    private static final String LAST = DemoWarehouse.LAST.toString();
    private static DemoWarehouse demo;
    /** The demo's warehouse and exports, as the demo left them: read, never written. */
    private static Path warehouse;
    private static Path exports;
    private static CliRun firstRun;
    /** The salt of the email match key, from a secrets file as a deployment would mount it. */
    private static String salt;
    private static Path saltFile;
    /** A copy of the demo's warehouse and exports for the tests that run jobs on it (re-runs, forget). */
    private static Path changedWarehouse;
    private static Path changedExports;
    private final SparkSession spark = SharedSpark.get();

    @BeforeAll
    static void runDemo() {
        demo = DemoWarehouse.get();
        warehouse = demo.warehouse();
        exports = demo.exports();
        firstRun = demo.run();
        salt = demo.salt();
        saltFile = demo.saltFile();
        // spark.table() names the demo's tables, whatever another test of this JVM registered since.
        new Lakehouse(SharedSpark.get(), warehouse.toString()).registerAll();
    }

    /**
     * The copy of the demo's warehouse and exports the re-runs and forget change, made on first use
     * and registered in the session's catalog: spark.table() names its tables from then on.
     */
    private static synchronized void useACopy() throws IOException {
        if (changedWarehouse == null) {
            Path dir = SharedSpark.tempDir("demo-changed");
            Folders.copy(warehouse, dir.resolve("warehouse"));
            Folders.copy(exports, dir.resolve("exports"));
            changedWarehouse = dir.resolve("warehouse");
            changedExports = dir.resolve("exports");
        }
        new Lakehouse(SharedSpark.get(), changedWarehouse.toString()).registerAll();
    }

    private static Path summaryJson() {
        return demo.summaryJson();
    }

    @Test
    @Order(1)
    void demoSucceedsAndSummarisesEveryJob() throws IOException {
        assertThat(firstRun.exitCode()).as(firstRun.toString()).isZero();
        assertThat(firstRun.out()).contains("[ingest 2026-11-01]", "[clean " + LAST + "]", "[features " + LAST + "]",
                "heap MiB", "live MiB", "peak resident memory of this JVM");
        List<Row> runs = spark.table("ops.job_runs").where(col("status").equalTo("succeeded")).collectAsList();
        assertThat(runs).hasSize(9 * DAYS); // ingest, clean, features, four models, scores, publish

        // --summary-json: the same jobs with the rows ops.job_runs holds, and memory figures that add up.
        var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summaryJson().toFile());
        var jobs = summary.get("jobs");
        assertThat(jobs.size()).isEqualTo(9 * DAYS);
        long maxHeap = summary.get("max_heap_bytes").asLong();
        // -Xmx of this JVM, read from the JVM's flags (Runtime.maxMemory() varies with the collector).
        assertThat(maxHeap).isEqualTo(MemoryWatch.maxHeapBytes()).isGreaterThanOrEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(summary.get("peak_resident_bytes").asLong()).isPositive();
        Map<String, Long> rowsInByRun = new java.util.HashMap<>();
        runs.forEach(r -> rowsInByRun.put(r.<String>getAs("job") + " " + r.getAs("batch_date"), r.<Long>getAs("rows_in")));
        for (var job : jobs) {
            String key = job.get("job").asText() + " " + job.get("date").asText();
            assertThat(job.get("rows_in").asLong()).as(key).isEqualTo(rowsInByRun.get(key));
            assertThat(job.get("seconds").asDouble()).as(key).isPositive();
            long heap = job.get("peak_heap_bytes").asLong();
            long live = job.get("peak_live_heap_bytes").asLong();
            assertThat(heap).as(key).isPositive().isLessThanOrEqualTo(maxHeap).isGreaterThanOrEqualTo(live);
            // Every job runs Spark jobs and commits at least its ops.job_runs row.
            assertThat(job.get("spark_jobs").asLong()).as(key).isPositive();
            assertThat(job.get("delta_commits").asLong()).as(key).isPositive();
        }
        // The jobs' Delta commits add up to every commit the warehouse's tables hold, as Delta's
        // own history counts them (the demo started from an empty warehouse).
        long commitsInHistory = 0;
        try (var folders = Files.walk(warehouse)) {
            for (Path log : folders.filter(f -> f.getFileName().toString().equals("_delta_log")).toList()) {
                commitsInHistory += spark.sql("DESCRIBE HISTORY delta.`" + log.getParent() + "`").count();
            }
        }
        long commitsSummed = 0;
        for (var job : jobs) {
            commitsSummed += job.get("delta_commits").asLong();
        }
        assertThat(commitsSummed).isEqualTo(commitsInHistory);
    }

    @Test
    @Order(2)
    void everyTableHasItsContractSchema() {
        for (Entity e : Entity.values()) {
            assertThat(names(spark.table("bronze." + e.tableName()).schema())).as("bronze." + e.tableName())
                    .containsExactlyInAnyOrderElementsOf(concat(e.columnNames(), List.of(Lineage.RESCUED, Lineage.MALFORMED,
                            Lineage.SOURCE_FILE, Lineage.BATCH_DATE, Lineage.RUN_ID, Lineage.INGESTED_AT)));
            assertSameTypes(spark.table("silver." + e.tableName()).schema(), SilverMerge.silverSchema(e));
        }
        assertSameTypes(spark.table("silver.quarantine").schema(), CleanBatch.QUARANTINE_SCHEMA);
        assertSameTypes(spark.table("ops.dq_results").schema(), OpsTables.DQ_SCHEMA);
        assertSameTypes(spark.table("ops.job_runs").schema(), OpsTables.JOB_RUNS_SCHEMA);
        StructType features = spark.table("gold.customer_features").schema();
        assertThat(features.fieldNames()).containsExactlyElementsOf(CustomerFeatures.COLUMNS);
        assertThat(features.apply("monetary").dataType()).isEqualTo(DataTypes.createDecimalType(14, 2));
        assertThat(features.apply("as_of_date").dataType()).isEqualTo(DataTypes.DateType);
    }

    @Test
    @Order(3)
    void everyLandedRowIsInSilverOrQuarantineOrCountedAsDuplicate() {
        for (Entity e : Entity.values()) {
            long bronze = spark.table("bronze." + e.tableName()).count();
            long quarantined = spark.table("silver.quarantine").where(col("entity").equalTo(e.tableName())).count();
            Map<String, Long> dq = dqTotals(e);
            long accepted = dq.get("inserted") + dq.get("updated") + dq.get("superseded_in_batch") + dq.get("not_newer_than_silver");
            assertThat(bronze).as(e.tableName() + ": " + dq)
                    .isEqualTo(accepted + quarantined + dq.get("exact_duplicate"));
            assertThat(dq.get("reconciliation")).as(e.tableName()).isZero();
            // Silver holds exactly the inserted keys: every update replaced a row in place.
            assertThat(spark.table("silver." + e.tableName()).count()).as(e.tableName()).isEqualTo(dq.get("inserted"));
        }
    }

    @Test
    @Order(4)
    void plantedDirtIsFoundWhereItWasPlanted() throws IOException {
        Map<String, Long> planted = plantedDirt();
        assertThat(dqTotals(Entity.ORDERS).get("exact_duplicate")).isEqualTo(planted.get("exact_duplicate/orders"));
        assertThat(dqTotals(Entity.ORDER_ITEMS).get("exact_duplicate")).isEqualTo(planted.get("exact_duplicate/order_items"));
        assertThat(dqTotals(Entity.ORDER_ITEMS).getOrDefault("negative_quantity", 0L))
                .isEqualTo(planted.get("negative_quantity/order_items"));
        assertThat(dqTotals(Entity.ORDERS).getOrDefault("orphan_customer", 0L))
                .isEqualTo(planted.get("orphan_order/orders"));
        assertThat(dqTotals(Entity.CUSTOMERS).getOrDefault("invalid_email", 0L))
                .isEqualTo(planted.get("malformed_email/customers"));
        assertThat(dqTotals(Entity.CUSTOMERS).get("not_newer_than_silver")).as("stale versions sent later")
                .isGreaterThanOrEqualTo(planted.get("stale_version/customers"));
        // Emails are stored lower-case and phones as digits.
        assertThat(spark.table("silver.customers").where(col("email").rlike("[A-Z]")).count()).isZero();
        assertThat(spark.table("silver.customers").where(col("phone").rlike("[^0-9]")).count()).isZero();
    }

    @Test
    @Order(5)
    void featuresHaveOneRowPerCustomerAndDate() {
        Dataset<Row> f = spark.table("gold.customer_features");
        assertThat(f.select("as_of_date").distinct().count()).isEqualTo(DAYS);
        assertThat(f.groupBy("customer_id", "as_of_date").count().where(col("count").gt(1)).count()).isZero();
        long customersLastDay = spark.table("silver.customers")
                .where(col("signup_date").leq(lit(java.sql.Date.valueOf(LAST)))).count();
        assertThat(f.where(col("as_of_date").equalTo(lit(java.sql.Date.valueOf(LAST)))).count())
                .isEqualTo(customersLastDay);
    }

    @Test
    @Order(5)
    void modelsScoreEveryCustomerOfTheLastDate() {
        java.sql.Date last = java.sql.Date.valueOf(LAST);
        long customers = spark.table("gold.customer_features").where(col("as_of_date").equalTo(lit(last))).count();
        assertThat(spark.table("gold.customer_segments").where(col("as_of_date").equalTo(lit(last))).count())
                .isEqualTo(customers);
        assertThat(spark.table("gold.purchase_propensity").where(col("as_of_date").equalTo(lit(last))).count())
                .isEqualTo(customers);
        assertThat(spark.table("gold.recommendations").where(col("as_of_date").equalTo(lit(last)))
                .select("customer_id").distinct().count()).isEqualTo(customers);
        assertThat(spark.table("gold.customer_scores").count()).isEqualTo(customers);
        assertThat(spark.table("gold.customer_scores").where(col("segment_name").isNull()
                .or(col("purchase_probability").isNull())).count()).isZero();
        assertThat(spark.table("gold.model_registry").select("model_name").distinct().collectAsList())
                .extracting(r -> r.getString(0))
                .containsExactlyInAnyOrder("segment", "basket", "propensity", "recommend");
        // ALS may lose to popularity on this little data and be rejected; the others always have a current version.
        assertThat(spark.table("gold.model_registry").where(col("status").equalTo("current"))
                .select("model_name").distinct().count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    @Order(5)
    void publishExportsTheFirstNightInFullThenTheMaterialChanges() throws IOException {
        long customers = spark.table("gold.customer_scores").count();
        List<Long> exported = new java.util.ArrayList<>();
        for (int d = 1; d <= DAYS; d++) {
            Path csv = exports.resolve("customer_scores/2026-11-0" + d + "/customer_scores.csv");
            List<String> lines = java.nio.file.Files.readAllLines(csv);
            assertThat(lines.get(0)).startsWith("customer_id,as_of_date,segment_name,purchase_probability");
            exported.add((long) lines.size() - 1);
            assertThat(spark.read().parquet(csv.getParent().resolve("parquet").toString()).count())
                    .isEqualTo(lines.size() - 1);
        }
        assertThat(exported.get(DAYS - 1)).as("the last night sends only customers whose segment, decile or "
                + "recommendations changed").isLessThan(customers);
        Row state = spark.table("ops.export_state").where(col("target").equalTo("files")).first();
        assertThat(state.<String>getAs("mode")).isEqualTo("changes");
        assertThat(state.<Long>getAs("table_version")).isEqualTo(
                io.delta.tables.DeltaTable.forName(spark, "gold.customer_scores").history(1).first().<Long>getAs("version"));
        assertThat(spark.table("ops.publish_checks").where(col("passed").equalTo(false)).count()).isZero();
    }

    /**
     * No gold table and no export holds an email or a phone number: the email travels only as its
     * salted hash. The salt itself shows nowhere: not in the output, not in the ops tables.
     */
    @Test
    @Order(5)
    void goldAndExportsCarryTheEmailOnlyAsItsSaltedHashAndTheSaltShowsNowhere() throws IOException {
        Dataset<Row> customers = spark.table("silver.customers");
        List<String> emails = customers.where(col("email").isNotNull()).select("email")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        List<String> phones = customers.where(col("phone").isNotNull()).select("phone")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertThat(emails).isNotEmpty();
        assertThat(phones).isNotEmpty();
        for (String t : dataTables().stream().filter(t -> t.startsWith("gold.")).toList()) {
            assertThat(rowsPerColumn(t, text -> text.isin(emails.toArray()).or(text.isin(phones.toArray()))
                    .or(text.contains("@")))).as(t + ": columns with an email or a phone number").isEmpty();
        }
        Row someone = customers.where(col("email").isNotNull()).orderBy("customer_id").first();
        Row scored = spark.table("gold.customer_scores").where(col("customer_id").equalTo(someone.getAs("customer_id")))
                .first();
        assertThat(scored.<String>getAs(MatchKey.COLUMN)).isEqualTo(MatchKey.of(salt, someone.getAs("email")));

        try (java.util.stream.Stream<Path> files = Files.walk(exports)) {
            for (Path csv : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                String content = Files.readString(csv);
                assertThat(content).as(csv.toString()).doesNotContain("@").doesNotContain(salt);
                assertThat(phones).as(csv.toString()).noneMatch(content::contains);
            }
        }
        assertThat(firstRun.out() + firstRun.err()).contains("email_sha256 keyed with the salt from file " + saltFile)
                .doesNotContain(salt);
        assertThat(demo.logLines()).noneMatch(line -> line.contains(salt));
        for (String t : List.of("ops.job_runs", "ops.dq_results", "ops.export_state", "ops.publish_checks")) {
            assertThat(rowsPerColumn(t, text -> text.contains(salt))).as(t + ": columns with the salt").isEmpty();
        }
    }

    /**
     * Column → how many of the table's rows match, for the columns where some do: the test is
     * applied to every column as a string, all columns in one pass over the table.
     */
    private Map<String, Long> rowsPerColumn(String table, java.util.function.UnaryOperator<Column> test) {
        Dataset<Row> rows = spark.table(table);
        Column[] counts = java.util.Arrays.stream(rows.columns())
                .map(c -> sum(org.apache.spark.sql.functions.when(test.apply(col(c).cast("string")), 1).otherwise(0)).as(c))
                .toArray(Column[]::new);
        Row found = rows.agg(counts[0], java.util.Arrays.copyOfRange(counts, 1, counts.length)).first();
        Map<String, Long> matching = new java.util.TreeMap<>();
        for (String c : rows.columns()) {
            Long n = found.getAs(c); // null when the table is empty
            if (n != null && n > 0) {
                matching.put(c, n);
            }
        }
        return matching;
    }

    /**
     * A scheduler re-runs past days (a cleared task, a backfill) in any order: every bronze,
     * silver and gold table must hold exactly what the in-order run left, whatever the order.
     * Only the run lineage of re-ingested bronze rows (run id, ingestion time) changes; the ops
     * tables record every run and so grow.
     */
    @Test
    @Order(6)
    void reRunningPastDaysInAnyOrderChangesNoTable() throws IOException {
        useACopy();
        Map<String, Dataset<Row>> before = new HashMap<>();
        for (String t : dataTables()) {
            before.put(t, comparable(t).localCheckpoint());
        }
        // Some customers changed their opt-in on the last day: the first day's re-run must not see it.
        assertThat(spark.table("silver.customers_versions").groupBy("customer_id")
                .agg(org.apache.spark.sql.functions.countDistinct("marketing_opt_in").as("values"))
                .where(col("values").gt(1)).count()).isPositive();
        // A past day, then the last one again: after each, the same tables as the run in date order.
        Map<String, String> differences = new java.util.TreeMap<>();
        for (String date : List.of("2026-11-01", LAST)) {
            CliRun again = CliRun.of(withDate("nightly", date));
            assertThat(again.exitCode()).as(again.toString()).isZero();
            if (!date.equals(LAST)) {
                assertThat(again.out()).contains("gold.customer_scores holds the later date " + LAST);
            }
            for (String t : dataTables()) {
                Dataset<Row> after = comparable(t);
                // Both directions in one job: rows only after the re-run, and rows only before it.
                List<Row> changed = after.exceptAll(before.get(t)).withColumn("_side", lit("new or changed"))
                        .unionByName(before.get(t).exceptAll(after).withColumn("_side", lit("gone")))
                        .groupBy("_side").count().collectAsList();
                if (!changed.isEmpty()) {
                    differences.put("after re-running " + date + ": " + t, changed + "; e.g. "
                            + after.exceptAll(before.get(t)).limit(2).collectAsList());
                }
            }
        }
        assertThat(differences).as("tables that a re-run changed").isEmpty();
    }

    /**
     * Erasure: after {@code forget}, no bronze, silver or gold table holds a row of the customer
     * (their order lines included), ops.erasures says what was deleted where, and the next export
     * does not carry them. Runs last, on the copy the re-runs left.
     */
    @Test
    @Order(7)
    void forgetErasesTheCustomerFromEveryTableAndTheNextExport() throws IOException {
        useACopy();
        String customer = spark.table("silver.orders").join(spark.table("silver.interactions"), "customer_id")
                .select("customer_id").orderBy("customer_id").first().getString(0);
        List<String> orderIds = spark.table("silver.orders").where(col("customer_id").equalTo(customer))
                .select("order_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        long scoresBefore = spark.table("gold.customer_scores").count();

        CliRun forget = CliRun.of(withoutDate("forget", "--customer-id", customer, "--reason", "erasure request 7"));
        assertThat(forget.exitCode()).as(forget.toString()).isZero();
        assertThat(forget.out()).contains("[forget] ", "customer " + customer + ": ");

        // Every bronze, silver and gold table of the warehouse, found as forget finds them (the
        // *_versions tables with names, emails and phones among them), not a list kept by hand.
        io.crmlake.lakehouse.Lakehouse lh = new io.crmlake.lakehouse.Lakehouse(spark, changedWarehouse.toString());
        List<io.crmlake.lakehouse.Table> found = lh.tables().stream()
                .filter(t -> List.of("bronze", "silver", "gold").contains(t.db())).toList();
        assertThat(found.stream().map(Object::toString)).contains("silver.customers_versions").containsAll(dataTables());
        Map<String, Long> left = new java.util.TreeMap<>();
        for (io.crmlake.lakehouse.Table table : found) {
            String t = table.toString();
            Dataset<Row> rows = lh.read(table);
            List<String> columns = List.of(rows.columns());
            long n = columns.contains("customer_id") ? rows.where(trim(col("customer_id")).equalTo(customer)).count()
                    : columns.contains("order_id") ? rows.where(trim(col("order_id")).isin(orderIds.toArray())).count()
                    : t.equals("silver.quarantine") ? rows.where(col("raw").contains("\"" + customer + "\"")).count()
                    : 0;
            if (n > 0) {
                left.put(t, n);
            }
        }
        assertThat(left).as("rows of " + customer + " left after forget").isEmpty();
        assertThat(spark.table("gold.customer_scores").count()).isEqualTo(scoresBefore - 1);

        Dataset<Row> erasures = spark.table("ops.erasures").where(col("customer_id").equalTo(customer));
        assertThat(erasures.select("reason").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                .containsExactly("erasure request 7");
        Map<String, Long> deleted = new HashMap<>();
        erasures.collectAsList().forEach(r -> deleted.put(r.getAs("table_name"), r.getAs("rows_deleted")));
        assertThat(deleted).containsEntry("silver.customers", 1L).containsEntry("gold.customer_scores", 1L)
                .containsEntry("silver.orders", (long) orderIds.size()).containsKeys("bronze.order_items", "silver.quarantine");

        // The next changes-only export tells downstream: the file export lists the erased id.
        CliRun changes = CliRun.of(withDate("publish", LAST));
        assertThat(changes.exitCode()).as(changes.toString()).isZero();
        assertThat(Files.readAllLines(changedExports.resolve("customer_scores/" + LAST + "/customer_scores_deleted.csv")))
                .containsExactly("customer_id", customer);

        CliRun publish = CliRun.of(withDate("publish", LAST, "--full"));
        assertThat(publish.exitCode()).as(publish.toString()).isZero();
        List<String> exported = Files.readAllLines(changedExports.resolve("customer_scores/" + LAST + "/customer_scores.csv"));
        assertThat(exported).hasSize((int) scoresBefore).noneMatch(line -> line.contains(customer));
    }

    /** The demo's arguments for one job of one date, on the copy of its warehouse. */
    private static String[] withDate(String job, String date, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(job, "--date", date));
        args.addAll(List.of(more));
        return withoutDate(args.toArray(String[]::new));
    }

    /** A command with the demo's configuration options, on the copy of its warehouse. */
    private static String[] withoutDate(String... command) {
        List<String> args = new java.util.ArrayList<>(List.of(command));
        args.addAll(demo.options(changedWarehouse, changedExports));
        return args.toArray(String[]::new);
    }

    /** Every bronze, silver and gold table of the warehouse. */
    private static List<String> dataTables() {
        List<String> tables = new java.util.ArrayList<>();
        for (Entity e : Entity.values()) {
            tables.add("bronze." + e.tableName());
            tables.add("silver." + e.tableName());
        }
        tables.add("silver.quarantine");
        for (String t : List.of("customer_features", "customer_segments", "segment_profiles", "segment_history",
                "segment_transitions", "association_rules", "purchase_propensity", "recommendations",
                "customer_scores", "model_registry")) {
            tables.add("gold." + t);
        }
        return tables;
    }

    /** A table without the columns that name the run which wrote a row rather than its content. */
    private Dataset<Row> comparable(String table) {
        Dataset<Row> rows = spark.table(table);
        for (String lineage : List.of(Lineage.RUN_ID, Lineage.INGESTED_AT)) {
            if (List.of(rows.columns()).contains(lineage)) {
                rows = rows.drop(lineage);
            }
        }
        return rows;
    }

    private Map<String, Long> dqTotals(Entity e) {
        Map<String, Long> totals = new HashMap<>();
        spark.table("ops.dq_results").where(col("entity").equalTo(e.tableName()))
                .groupBy("rule").agg(sum("failed_rows")).collectAsList()
                .forEach(r -> totals.put(r.getString(0), r.getLong(1)));
        return totals;
    }

    /** kind/entity → count summed over days, from the generator's ground truth. */
    private static Map<String, Long> plantedDirt() throws IOException {
        Map<String, Long> planted = new HashMap<>();
        List<String> lines = Files.readAllLines(demo.landing().resolve("_ground_truth").resolve("dirt.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            planted.merge(f[0] + "/" + f[1], Long.parseLong(f[3]), Long::sum);
        }
        return planted;
    }

    private static List<String> names(StructType s) {
        return List.of(s.fieldNames());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void assertSameTypes(StructType actual, StructType expected) {
        Map<String, org.apache.spark.sql.types.DataType> a = new HashMap<>();
        for (StructField f : actual.fields()) {
            a.put(f.name(), f.dataType());
        }
        Map<String, org.apache.spark.sql.types.DataType> e = new HashMap<>();
        for (StructField f : expected.fields()) {
            e.put(f.name(), f.dataType());
        }
        assertThat(a).isEqualTo(e);
    }
}
