package io.crmlake.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.crmlake.config.SourceMapping;
import io.crmlake.generate.DialectWriter;
import io.crmlake.generate.GeneratorOptions;
import io.crmlake.generate.InvoiceLineWriter;
import io.crmlake.generate.SampleGenerator;
import io.crmlake.ingest.IngestBatch;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.ops.JobRun;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;
import io.crmlake.testing.SharedSpark;

/**
 * One realistic export (ISO local timestamps, guest checkouts, credit notes, products without
 * category or name, product versions with equal timestamps, and only a month and a half of
 * history) delivered three ways: as the seven canonical entities, as a Salesforce-style export and
 * as one flat file of invoice lines. With default settings (only the source and the folders
 * given) the flat export runs through {@code demo} night after night with exit 0, the models the
 * short history cannot train skipped; the three layouts clean to the same orders, lines and
 * revenue (canonical and Salesforce-style to the same silver altogether); every landed row is
 * accounted for and nothing beyond the planted dirt is quarantined.
 */
class ExportLayoutsTest {
    private static final int DAYS = 2;
    private static final LocalDate FIRST = LocalDate.parse("2026-11-01");
    private static Path dir;
    private static CliRun flatDemo;
    private static Map<String, Long> planted;
    private final SparkSession spark = SharedSpark.get();

    @BeforeAll
    static void deliverTheSameExportThreeWaysAndRunTheFlatOneThroughTheDemo() throws IOException {
        SharedSpark.get();
        dir = SharedSpark.tempDir("layouts");
        SampleGenerator.generate(new GeneratorOptions(120, DAYS, 11L, FIRST, dir.resolve("canonical"),
                GeneratorOptions.Profile.REALISTIC, 45));
        new DialectWriter(SourceMapping.load("salesforce")).convert(dir.resolve("canonical"), dir.resolve("salesforce"));
        InvoiceLineWriter.convert(dir.resolve("canonical"), dir.resolve("flat"));
        planted = new HashMap<>();
        List<String> dirt = Files.readAllLines(dir.resolve("canonical/_ground_truth/dirt.csv"));
        for (String line : dirt.subList(1, dirt.size())) {
            String[] f = line.split(",");
            planted.merge(f[0] + "/" + f[1], Long.parseLong(f[3]), Long::sum);
        }
        flatDemo = CliRun.of("demo", "--set", "landing=" + dir.resolve("flat"), "--set", "source=invoice-lines",
                "--set", "warehouse=" + dir.resolve("w-flat"), "--set", "exports=" + dir.resolve("exports-flat"),
                SHUFFLE_PARTITIONS[0], SHUFFLE_PARTITIONS[1]);
    }

    @Test
    void theFlatExportRunsThroughTheDemoWithDefaultSettingsAndSkipsWhatTheHistoryCannotTrain() {
        assertThat(flatDemo.exitCode()).as(flatDemo.toString()).isZero();
        Lakehouse lh = warehouse("w-flat");
        Map<String, String> statuses = new HashMap<>();
        lh.read(Table.JOB_RUNS).collectAsList().forEach(r -> statuses.put(r.getAs("job") + " " + r.getAs("batch_date"),
                r.getAs("status")));
        for (int d = 0; d < DAYS; d++) {
            LocalDate day = FIRST.plusDays(d);
            // Purchases from mid-September: two horizons of 30 days need more.
            assertThat(statuses).containsEntry("propensity " + day, JobRun.SKIPPED);
            assertThat(flatDemo.out()).contains("skipped: propensity " + day + ": history too short");
            for (String job : List.of("ingest", "clean", "features", "segment", "basket", "recommend", "scores", "publish")) {
                assertThat(statuses).containsEntry(job + " " + day, JobRun.SUCCEEDED);
            }
        }
        Dataset<Row> scores = lh.read(Table.CUSTOMER_SCORES);
        assertThat(scores.where(col("purchase_probability").isNotNull()).count()).as("no propensity model yet").isZero();
        assertThat(scores.where(col("segment_name").isNull()).count()).isZero();
        assertThat(scores.where(col("recommended_products").isNull()).count()).isZero();
        assertThat(dir.resolve("exports-flat/customer_scores/" + FIRST.plusDays(DAYS - 1) + "/customer_scores.csv")).exists();
    }

    @Test
    void everyLandedLineIsAccountedForAndOnlyThePlantedDirtIsQuarantined() {
        Lakehouse lh = warehouse("w-flat");
        Dataset<Row> dq = lh.read(Table.DQ_RESULTS);
        assertThat(dq.where(col("rule").equalTo("reconciliation")).count()).isEqualTo((long) DAYS * Entity.values().length);
        assertThat(dq.where(col("rule").equalTo("reconciliation").and(col("failed_rows").notEqual(0))).count()).isZero();
        for (int d = 0; d < DAYS; d++) {
            LocalDate day = FIRST.plusDays(d);
            long lines = lh.read(IngestBatch.INVOICE_LINES).where(col(Lineage.BATCH_DATE).equalTo(lit(java.sql.Date.valueOf(day)))).count();
            Row items = dq.where(col("entity").equalTo("order_items").and(col("rule").equalTo("reconciliation"))
                    .and(col("batch_date").equalTo(lit(java.sql.Date.valueOf(day))))).first();
            assertThat(items.<Long>getAs("total_rows")).as("every invoice line of " + day + " is one order line").isEqualTo(lines);
        }
        assertThat(quarantineRules(lh)).isEqualTo(plantedQuarantine());
        long guests = dq.where(col("entity").equalTo("orders").and(col("rule").equalTo("guest"))).agg(sum("failed_rows"))
                .first().getLong(0);
        assertThat(guests).as("guest orders and their credit notes, as the seven-entity files have them")
                .isEqualTo(ordersWithoutCustomer()).isGreaterThanOrEqualTo(planted.get("guest_order/orders"));
        Dataset<Row> orders = lh.read(Table.silver(Entity.ORDERS));
        assertThat(orders.where(col("status").equalTo("cancelled").and(col("total_amount").lt(0))).count())
                .as("credit notes, valid").isEqualTo(planted.get("credit_note/orders"));
        assertThat(lh.read(Table.silver(Entity.PRODUCTS)).where(col("category").equalTo("unknown")).count()).isPositive();
    }

    /**
     * Day one cleaned from the seven entities and from the Salesforce-style files: the same silver,
     * every table. Day two of the seven entities too: the same orders, lines and revenue as the
     * invoice lines gave the demo.
     */
    @Test
    void theThreeLayoutsCleanToTheSameSilver() throws IOException {
        String header = Files.readAllLines(dir.resolve("salesforce/Order/" + FIRST + "/orders.csv")).get(0);
        assertThat(header).startsWith("Id,BillToContactId,EffectiveDate");
        run("ingest", FIRST, "canonical", "w-canonical", "canonical");
        run("clean", FIRST, "canonical", "w-canonical", "canonical");
        run("ingest", FIRST, "salesforce", "w-salesforce", "salesforce");
        run("clean", FIRST, "salesforce", "w-salesforce", "salesforce");
        Lakehouse entities = warehouse("w-canonical");
        Lakehouse salesforce = warehouse("w-salesforce");
        for (Entity e : Entity.values()) {
            assertSame(salesforce.read(Table.silver(e)).drop(Lineage.SOURCE_FILE, Lineage.RUN_ID),
                    entities.read(Table.silver(e)).drop(Lineage.SOURCE_FILE, Lineage.RUN_ID), "silver." + e.tableName());
        }
        assertThat(quarantineRules(salesforce)).isEqualTo(quarantineRules(entities));
        assertThat(salesforce.read(Table.silver(Entity.CUSTOMERS)).where(col("marketing_opt_in")).count())
                .as("opt-out flag turned into opt-in").isPositive();

        for (int d = 1; d < DAYS; d++) {
            run("ingest", FIRST.plusDays(d), "canonical", "w-canonical", "canonical");
            run("clean", FIRST.plusDays(d), "canonical", "w-canonical", "canonical");
        }
        Lakehouse flat = warehouse("w-flat");
        String[] orderColumns = {"order_id", "customer_id", "order_ts", "status", "total_amount"};
        String[] lineColumns = {"order_id", "line_no", "product_id", "quantity", "unit_price"};
        assertSame(entities.read(Table.silver(Entity.ORDERS)).selectExpr(orderColumns),
                flat.read(Table.silver(Entity.ORDERS)).selectExpr(orderColumns), "silver.orders");
        assertSame(entities.read(Table.silver(Entity.ORDER_ITEMS)).selectExpr(lineColumns),
                flat.read(Table.silver(Entity.ORDER_ITEMS)).selectExpr(lineColumns), "silver.order_items");
        assertThat(revenue(flat)).isEqualByComparingTo(revenue(entities));
        assertThat(quarantineRules(entities)).isEqualTo(plantedQuarantine());
    }

    /** Rows of the seven-entity orders files with an empty customer_id, read from the files themselves. */
    private static long ordersWithoutCustomer() {
        try (var days = Files.list(dir.resolve("canonical/orders"))) {
            long n = 0;
            for (Path day : days.toList()) {
                n += Files.readAllLines(day.resolve("orders.csv")).stream().skip(1)
                        .filter(l -> l.split(",", -1)[1].isEmpty()).count();
            }
            return n;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The only dirt of the realistic profile that is quarantined: negative quantities on sales. */
    private static Map<String, Long> plantedQuarantine() {
        Long negative = planted.get("negative_quantity/order_items");
        return negative == null ? Map.of() : Map.of("order_items negative_quantity", negative);
    }

    /**
     * Not a setting of the data: the test JVM's shared session runs two shuffle partitions on its
     * two cores, and a job without a configuration file would set the shipped eight.
     */
    private static final String[] SHUFFLE_PARTITIONS = {"--set", "spark.shuffle-partitions=2"};

    private void run(String job, LocalDate day, String landing, String warehouse, String source) {
        CliRun r = CliRun.of(job, "--date", day.toString(), "--set", "landing=" + dir.resolve(landing),
                "--set", "warehouse=" + dir.resolve(warehouse), "--set", "source=" + source,
                SHUFFLE_PARTITIONS[0], SHUFFLE_PARTITIONS[1]);
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private Lakehouse warehouse(String name) {
        return new Lakehouse(spark, dir.resolve(name).toString());
    }

    private static void assertSame(Dataset<Row> actual, Dataset<Row> expected, String what) {
        assertThat(actual.count()).as(what).isEqualTo(expected.count()).isPositive();
        assertThat(actual.exceptAll(expected).count() + expected.exceptAll(actual).count()).as(what).isZero();
    }

    private static java.math.BigDecimal revenue(Lakehouse lh) {
        return lh.read(Table.silver(Entity.ORDERS)).agg(sum("total_amount")).first().getDecimal(0);
    }

    /** "entity rule" → rows in silver.quarantine. */
    private static Map<String, Long> quarantineRules(Lakehouse lh) {
        Map<String, Long> out = new java.util.TreeMap<>();
        lh.read(Table.QUARANTINE).groupBy("entity", "rule").count().collectAsList()
                .forEach(r -> out.put(r.getString(0) + " " + r.getString(1), r.getLong(2)));
        return out;
    }
}
