package io.crmlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.crmlake.publish.FileExport;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;
import io.crmlake.testing.Folders;
import io.crmlake.testing.SharedSpark;

/**
 * Re-runs and crashes: a job's JVM is killed with SIGKILL in the middle of {@code clean} and of
 * {@code publish}, as a lost executor host or an OOM killer would. Each killed job runs in a JVM
 * of its own on a copy of the warehouse as the demo's first night had it when the same job started
 * there ({@link DemoWarehouse.Snapshot}); the demo's own run of the job, uninterrupted, is what the
 * killed one is compared with (the warehouse and exports as the next job of the night started).
 * Right after the kill no table may show a partial commit; after the day is run again, every table
 * and every export equals the uninterrupted run's, apart from the columns that name the run which
 * wrote a row.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KilledJobTest {
    private static final String DAY = DemoWarehouse.FIRST.toString();
    /** How often the watcher looks at the killed job's files: far below the seconds each step takes. */
    private static final Duration POLL = Duration.ofMillis(25);
    /** A cold child JVM needs 60-100 s for clean on a busy 2-core machine: generous, to fail only on a hang. */
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(10);
    /** Columns that name the run which wrote a row or when it ran, not what the row holds. */
    private static final Set<String> RUN_COLUMNS = Set.of(Lineage.RUN_ID, Lineage.INGESTED_AT, "run_id",
            "started_at", "finished_at", "exported_at", "checked_at");
    private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");

    private static Path dir;
    private static DemoWarehouse demo;
    /** The warehouse right after ingest: what the demo's clean started from, and the killed one. */
    private static Path ingested;
    /** The warehouse after the uninterrupted clean (the demo's), as the night's features started. */
    private static Path reference;
    /** The warehouse after the night's scores: what the demo's publish started from, and the killed one. */
    private static Path publishable;
    /** The warehouse and exports after the uninterrupted publish (the demo's), as the next night started. */
    private static Path published;
    private static Path publishedExports;

    private static final Instant CLASS_STARTED = Instant.now();

    private final SparkSession spark = SharedSpark.get();

    @BeforeAll
    static void takeTheDemosFirstNight() {
        demo = DemoWarehouse.get();
        // The uninterrupted runs: the demo's, night after night.
        assertThat(demo.run().exitCode()).as(demo.run().toString()).isZero();
        dir = SharedSpark.tempDir("killed");
        ingested = demo.snapshot(DemoWarehouse.Snapshot.BEFORE_CLEAN).resolve("warehouse");
        reference = demo.snapshot(DemoWarehouse.Snapshot.BEFORE_FEATURES).resolve("warehouse");
        publishable = demo.snapshot(DemoWarehouse.Snapshot.BEFORE_PUBLISH).resolve("warehouse");
        published = demo.snapshot(DemoWarehouse.Snapshot.AFTER_FIRST_NIGHT).resolve("warehouse");
        publishedExports = demo.snapshot(DemoWarehouse.Snapshot.AFTER_FIRST_NIGHT).resolve("exports");
        log("the demo's first night %s, its warehouse as clean, features, publish and the next night started: %s",
                DAY, demo.snapshot(DemoWarehouse.Snapshot.BEFORE_CLEAN).getParent());
    }

    /**
     * SIGKILL once some silver tables have their day merged and later ones not yet, then the day
     * again: every bronze, silver and quarantine table equals the uninterrupted clean's.
     */
    @Test
    @Order(1)
    void cleanKilledHalfWayLeavesWholeCommitsAndItsReRunEqualsAnUninterruptedRun() throws Exception {
        Path killed = dir.resolve("w-kill-clean");
        Folders.copy(ingested, killed);
        Path ordersLog = killed.resolve("silver/orders/_delta_log");
        Path orderItems = killed.resolve("silver/order_items");
        KillReport kill;
        try (ChildJvm child = ChildJvm.start(dir.resolve("child-clean"), args("clean", killed, dir.resolve("exports-unused")))) {
            // Entities are cleaned in waves (customers, products, campaigns; then orders,
            // interactions, tickets; then order_items), each day in one Delta commit: on this first
            // day the write that creates the table (v0). The kill comes once orders is merged, in
            // the middle of order_items' write when the watcher sees its data files before their
            // commit (the worst moment: files on disk that no commit owns), else right after that
            // commit, before the day's quarantine and dq rows are written.
            kill = child.killWhen("silver.orders is written and silver.order_items' write has written files",
                    () -> Files.exists(ordersLog.resolve(commitFile(0)))
                            && (!listNames(orderItems, n -> n.startsWith("part-") && n.endsWith(".parquet")).isEmpty()
                                    || Files.exists(orderItems.resolve("_delta_log").resolve(commitFile(0)))));
        }
        Map<String, List<Long>> afterKill = silverCommits(killed);
        log("clean child killed %.1f s after its start (exit %d); silver commits after the kill %s, order_items data "
                + "files %s", kill.secondsAfterStart(), kill.exitCode(), afterKill,
                listNames(orderItems, n -> n.startsWith("part-") && n.endsWith(".parquet")).size());

        assertThat(kill.exitCode()).as("killed by SIGKILL (128 + 9), not a normal exit:\n" + kill.output()).isEqualTo(137);
        assertThat(afterKill.get("orders")).as("orders' merge was committed before the kill").contains(0L);
        boolean orderItemsMerged = afterKill.getOrDefault("order_items", List.of()).contains(0L);
        assertThat(orderItemsMerged && afterKill.containsKey("quarantine")).as("the kill was mid-way: order_items, "
                + "the last entity, was not merged yet or the day's quarantine not written; " + afterKill).isFalse();

        // Right after the kill: whole commits only. Every table reads; a silver table holds nothing
        // of the day or all of it; bronze is untouched; the killed run has no ops.job_runs row.
        Map<String, String> visible = new TreeMap<>();
        for (Entity e : Entity.values()) {
            assertThat(differences("bronze." + e.tableName(), read(ingested, "bronze", e.tableName()),
                    read(killed, "bronze", e.tableName()))).isEmpty();
        }
        for (String table : deltaTables(reference, "silver")) {
            if (table.equals("quarantine")) {
                continue;
            }
            visible.put("silver." + table, wholeOrNothing("silver." + table, read(reference, "silver", table),
                    readIfExists(killed, "silver", table)));
        }
        // Quarantine and dq rows are written once, after the last entity (CleanBatch): per entity
        // they are either absent or whole.
        visible.put("silver.quarantine", wholeOrNothingPerEntity("silver.quarantine",
                read(reference, "silver", "quarantine"), readIfExists(killed, "silver", "quarantine")));
        visible.put("ops.dq_results", wholeOrNothingPerEntity("ops.dq_results",
                read(reference, "ops", "dq_results"), readIfExists(killed, "ops", "dq_results")));
        log("visible right after the clean kill: %s; data files on disk that no commit references: %s", visible,
                uncommittedFiles(killed, "silver"));
        assertThat(visible).containsEntry("silver.customers", "whole day").containsEntry("silver.orders", "whole day")
                .containsEntry("silver.order_items", orderItemsMerged ? "whole day" : "nothing");
        assertThat(differences("ops.job_runs after the kill: the killed run died before recording itself",
                read(ingested, "ops", "job_runs"), read(killed, "ops", "job_runs"))).isEmpty();

        // The scheduler's retry: the same day again, uninterrupted.
        CliRun again = CliRun.of(args("clean", killed, dir.resolve("exports-unused")));
        assertThat(again.exitCode()).as(again.toString()).isZero();
        log("clean re-run done");

        Map<String, String> differences = new TreeMap<>();
        assertThat(deltaTables(killed, "bronze")).isEqualTo(deltaTables(reference, "bronze"));
        assertThat(deltaTables(killed, "silver")).isEqualTo(deltaTables(reference, "silver"));
        for (String db : List.of("bronze", "silver")) {
            for (String table : deltaTables(reference, db)) {
                differences(db + "." + table, read(reference, db, table), read(killed, db, table))
                        .ifPresent(d -> differences.put(db + "." + table, d));
            }
        }
        assertThat(differences).as("tables that differ from the uninterrupted clean").isEmpty();
        log("clean: every bronze and silver table equals the uninterrupted run's");

        // ops.job_runs: the re-run's row, succeeded, in place of the uninterrupted run's; nothing
        // records the killed run. rows_out is compared in the dq test below.
        Dataset<Row> refRuns = read(reference, "ops", "job_runs").drop("rows_out");
        Dataset<Row> killedRuns = read(killed, "ops", "job_runs").drop("rows_out");
        assertThat(differences("ops.job_runs", refRuns, killedRuns)).isEmpty();
        assertThat(killedRuns.where("job = 'clean'").collectAsList()).singleElement()
                .satisfies(r -> assertThat(r.<String>getAs("status")).isEqualTo("succeeded"));
        killedClean = killed;
    }

    /** The warehouse of the killed and re-run clean, for the dq test. */
    private static Path killedClean;

    /**
     * ops.dq_results of the day after the kill and re-run: one set of rows per entity and rule (the
     * re-run replaced the day's, nothing recorded twice), every rule's count and every total equal
     * the uninterrupted run's, and so does the sum of the accepted terms per entity. The split of
     * that sum is the re-run's: rows the killed run had already merged are counted as
     * not_newer_than_silver, not as inserted or updated, as for any second clean of a day (docs/operations.md,
     * "Re-runs and backfills"); the test pins that down so a change to it is seen.
     */
    @Test
    @Order(2)
    void cleanKilledHalfWayThenReRunRecordsTheSameRuleCountsOnce() {
        assertThat(killedClean).as("needs the killed clean of the first test").isNotNull();
        Dataset<Row> dq = read(killedClean, "ops", "dq_results");
        Dataset<Row> expected = read(reference, "ops", "dq_results");
        assertThat(dq.groupBy("batch_date", "entity", "rule").count().where("count > 1").count())
                .as("dq rows recorded twice").isZero();
        String runTerms = "rule IN ('inserted', 'updated', 'not_newer_than_silver')";
        assertThat(differences("ops.dq_results (rules and totals)", expected.where("NOT " + runTerms),
                dq.where("NOT " + runTerms))).isEmpty();
        Dataset<Row> acceptedRef = expected.where(runTerms).groupBy("entity").agg(functions.sum("failed_rows").as("accepted"));
        Dataset<Row> acceptedKilled = dq.where(runTerms).groupBy("entity").agg(functions.sum("failed_rows").as("accepted"));
        assertThat(differences("accepted rows per entity", acceptedRef, acceptedKilled)).isEmpty();
        // The entities the killed run had merged: their rows are already in silver for the re-run.
        assertThat(dq.where("entity = 'customers' AND rule = 'inserted'").first().<Long>getAs("failed_rows")).isZero();
        assertThat(dq.where("entity = 'customers' AND rule = 'not_newer_than_silver'").first().<Long>getAs("failed_rows"))
                .isEqualTo(expected.where("entity = 'customers' AND rule = 'inserted'").first().<Long>getAs("failed_rows"));
    }

    /**
     * SIGKILL while the file export is being written (its staging folder is there, ops.export_state
     * not yet committed), then publish again: the export files, ops.export_state and
     * gold.customer_scores equal the uninterrupted publish's, and nothing half-written is left
     * where the exports are read.
     */
    @Test
    @Order(3)
    void publishKilledWhileWritingTheExportThenReRunSendsTheSameExportAndLeavesNothingPartial() throws Exception {
        Path killed = dir.resolve("w-kill-publish");
        Path killedExports = dir.resolve("exports-kill");
        Folders.copy(publishable, killed);
        Folders.copy(demo.snapshot(DemoWarehouse.Snapshot.BEFORE_PUBLISH).resolve("exports"), killedExports);
        Path scoresExports = killedExports.resolve(FileExport.FOLDER);
        KillReport kill;
        try (ChildJvm child = ChildJvm.start(dir.resolve("child-publish"), args("publish", killed, killedExports))) {
            // FileExport writes the CSV into <exports>/customer_scores/_staging-<date>-<uuid>/, then
            // the Parquet beside it, then renames the folder to <date>/; ops.export_state is merged
            // only after that. The kill comes while the Parquet is written (a finished CSV lies in
            // the staging folder), else, should the watcher miss that second, once the date's
            // folder is in place and ops.export_state not yet merged.
            kill = child.killWhen("the export's CSV is written and ops.export_state not yet merged",
                    () -> stagingCsvExists(scoresExports) || Files.isDirectory(scoresExports.resolve(DAY)));
        }
        // The uninterrupted publish, the demo's, sent the night's export.
        assertThat(read(published, "ops", "job_runs").where("job = 'publish'").select("status").collectAsList())
                .extracting(r -> r.getString(0)).containsExactly("succeeded");
        Set<String> leftAfterKill = exportsListing(scoresExports);
        log("publish child killed %.1f s after its start (exit %d); exports after the kill %s",
                kill.secondsAfterStart(), kill.exitCode(), leftAfterKill);

        assertThat(kill.exitCode()).as("killed by SIGKILL (128 + 9), not a normal exit:\n" + kill.output()).isEqualTo(137);
        assertThat(read(killed, "ops", "export_state").count()).as("ops.export_state records no export: the kill "
                + "came before its MERGE\n" + kill.output()).isZero();
        assertThat(read(killed, "ops", "job_runs").where("job = 'publish'").count()).isZero();
        assertThat(differences("gold.customer_scores", read(published, "gold", "customer_scores"),
                read(killed, "gold", "customer_scores"))).isEmpty();
        // Where a reader looks, <exports>/customer_scores/<date>/, there is no export yet or the
        // whole one; never a part of it.
        if (Files.isDirectory(scoresExports.resolve(DAY))) {
            assertSameExport(publishedExports.resolve(FileExport.FOLDER).resolve(DAY), scoresExports.resolve(DAY));
        }

        CliRun again = CliRun.of(args("publish", killed, killedExports));
        assertThat(again.exitCode()).as(again.toString()).isZero();
        log("publish re-run done: %s", again.out().lines().filter(l -> l.contains("files:")).findFirst().orElse(""));

        // Only the date's folder, the same files as the uninterrupted export, no staging or
        // previous folder of a dead run beside it (a reader listing <exports>/customer_scores/
        // must find complete exports only).
        assertThat(exportsListing(scoresExports)).as("what a reader finds under " + scoresExports)
                .isEqualTo(exportsListing(publishedExports.resolve(FileExport.FOLDER)));
        assertSameExport(publishedExports.resolve(FileExport.FOLDER).resolve(DAY), scoresExports.resolve(DAY));
        assertThat(differences("ops.export_state", read(published, "ops", "export_state"),
                read(killed, "ops", "export_state"))).isEmpty();
        assertThat(differences("gold.customer_scores", read(published, "gold", "customer_scores"),
                read(killed, "gold", "customer_scores"))).isEmpty();
        assertThat(read(killed, "ops", "job_runs").where("job = 'publish'").select("status").collectAsList())
                .extracting(r -> r.getString(0)).containsExactly("succeeded");

        // ops.publish_checks is a log of every publish run's checks: the killed run's checks stay
        // (it ran them before it died), the re-run's are the uninterrupted run's.
        Dataset<Row> checks = read(killed, "ops", "publish_checks");
        List<String> runs = checks.select("run_id").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        log("ops.publish_checks after the re-run: runs %s, %d rows; the uninterrupted warehouse has %d", runs,
                checks.count(), read(published, "ops", "publish_checks").count());
        for (String run : runs) {
            assertThat(differences("ops.publish_checks of run " + run, read(published, "ops", "publish_checks"),
                    checks.where(org.apache.spark.sql.functions.col("run_id").equalTo(run)))).isEmpty();
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("[KilledJobTest +%.0f s] %s%n", Duration.between(CLASS_STARTED, Instant.now()).toMillis() / 1000.0,
                String.format(format, args));
    }

    // ---------------------------------------------------------------- comparisons

    /**
     * The same CSV files (the same header, the same lines in any order: row order is Spark's) and
     * the same Parquet rows.
     */
    private void assertSameExport(Path expected, Path actual) throws IOException {
        for (String csv : List.of(FileExport.CSV_FILE, FileExport.DELETED_CSV_FILE)) {
            List<String> expectedLines = Files.readAllLines(expected.resolve(csv), StandardCharsets.UTF_8);
            List<String> actualLines = Files.readAllLines(actual.resolve(csv), StandardCharsets.UTF_8);
            assertThat(actualLines.get(0)).isEqualTo(expectedLines.get(0));
            assertThat(actualLines).as(actual.resolve(csv).toString()).hasSize(expectedLines.size())
                    .containsExactlyInAnyOrderElementsOf(expectedLines);
        }
        assertThat(differences("Parquet export " + actual, spark.read().parquet(expected.resolve(FileExport.PARQUET_FOLDER).toString()),
                spark.read().parquet(actual.resolve(FileExport.PARQUET_FOLDER).toString()))).isEmpty();
    }

    /** Whether a staging folder of the day holds the finished CSV. */
    private static boolean stagingCsvExists(Path scoresExports) {
        return listNames(scoresExports, n -> n.startsWith("_staging-" + DAY)).stream()
                .anyMatch(n -> Files.exists(scoresExports.resolve(n).resolve(FileExport.CSV_FILE)));
    }

    /** "whole day" when the table equals the reference's, "nothing" when it is absent or empty; fails otherwise. */
    private static String wholeOrNothing(String name, Dataset<Row> reference, Optional<Dataset<Row>> visible) {
        if (visible.isEmpty() || visible.get().isEmpty()) {
            return "nothing";
        }
        Optional<String> d = differences(name, reference, visible.get());
        assertThat(d).as(name + " holds part of the day").isEmpty();
        return "whole day";
    }

    /** Per entity of the reference: whole, or absent. Returns the entities found whole. */
    private static String wholeOrNothingPerEntity(String name, Dataset<Row> reference, Optional<Dataset<Row>> visible) {
        List<String> whole = new ArrayList<>();
        for (Entity e : Entity.values()) {
            String where = "entity = '" + e.tableName() + "'";
            Optional<Dataset<Row>> part = visible.map(v -> v.where(where));
            if (!wholeOrNothing(name + " of " + e.tableName(), reference.where(where), part).equals("nothing")) {
                whole.add(e.tableName());
            }
        }
        return whole.isEmpty() ? "nothing" : "whole for " + whole;
    }

    /**
     * What differs between two tables once the run columns are dropped: rows missing and rows
     * extra, as multisets (a duplicated row counts). Empty when they are equal. The tables are a
     * few thousand rows at most: compared in the driver, which is quicker here than exceptAll.
     */
    private static Optional<String> differences(String name, Dataset<Row> expected, Dataset<Row> actual) {
        Dataset<Row> e = comparable(expected);
        Dataset<Row> a = comparable(actual);
        if (!new TreeSet<>(List.of(e.columns())).equals(new TreeSet<>(List.of(a.columns())))) {
            return Optional.of(name + ": columns " + List.of(a.columns()) + ", expected " + List.of(e.columns()));
        }
        a = a.selectExpr(Arrays.stream(e.columns()).map(c -> "`" + c + "`").toArray(String[]::new));
        Map<String, Long> balance = new TreeMap<>(); // > 0: missing from actual, < 0: extra in it
        e.collectAsList().forEach(r -> balance.merge(r.toString(), 1L, Long::sum));
        a.collectAsList().forEach(r -> balance.merge(r.toString(), -1L, Long::sum));
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        balance.forEach((row, n) -> {
            for (long i = 0; i < Math.abs(n); i++) {
                (n > 0 ? missing : extra).add(row);
            }
        });
        if (missing.isEmpty() && extra.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.format("%s: %d rows missing, e.g. %s; %d rows extra, e.g. %s", name, missing.size(),
                missing.subList(0, Math.min(3, missing.size())), extra.size(), extra.subList(0, Math.min(3, extra.size()))));
    }

    private static Dataset<Row> comparable(Dataset<Row> rows) {
        for (String c : rows.columns()) {
            if (RUN_COLUMNS.contains(c)) {
                rows = rows.drop(c);
            }
        }
        return rows;
    }

    // ---------------------------------------------------------------- the warehouse on disk

    private static Dataset<Row> read(Path warehouse, String db, String table) {
        return SharedSpark.get().read().format("delta").load(warehouse.resolve(db).resolve(table).toString());
    }

    /**
     * The table, when a reader can see one there: a committed version. A table whose first write
     * was killed has its folder, data files and an empty {@code _delta_log}, and no table.
     */
    private static Optional<Dataset<Row>> readIfExists(Path warehouse, String db, String table) {
        return io.delta.tables.DeltaTable.isDeltaTable(SharedSpark.get(), warehouse.resolve(db).resolve(table).toString())
                ? Optional.of(read(warehouse, db, table)) : Optional.empty();
    }

    /** Names of the Delta tables of one database folder. */
    private static List<String> deltaTables(Path warehouse, String db) {
        return listNames(warehouse.resolve(db), n -> Files.isDirectory(warehouse.resolve(db).resolve(n).resolve("_delta_log")));
    }

    /** Per silver table, the versions committed so far, read from its _delta_log. */
    private static Map<String, List<Long>> silverCommits(Path warehouse) {
        Map<String, List<Long>> commits = new TreeMap<>();
        for (String table : deltaTables(warehouse, "silver")) {
            commits.put(table, listNames(warehouse.resolve("silver").resolve(table).resolve("_delta_log"),
                    n -> COMMIT_FILE.matcher(n).matches()).stream().map(n -> Long.parseLong(n.substring(0, 20))).toList());
        }
        return commits;
    }

    /** Parquet data files under a database folder that no table's current snapshot references. */
    private static Map<String, Integer> uncommittedFiles(Path warehouse, String db) {
        Map<String, Integer> orphans = new TreeMap<>();
        for (String table : deltaTables(warehouse, db)) {
            Path folder = warehouse.resolve(db).resolve(table);
            Set<String> referenced = new HashSet<>();
            // A table whose first commit never came references nothing: every file is an orphan.
            for (String f : readIfExists(warehouse, db, table).map(Dataset::inputFiles).orElse(new String[0])) {
                referenced.add(Path.of(java.net.URI.create(f)).getFileName().toString());
            }
            try (Stream<Path> files = Files.walk(folder)) {
                int n = (int) files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
                        .filter(p -> !referenced.contains(p.getFileName().toString())).count();
                if (n > 0) {
                    orphans.put(table, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return orphans;
    }

    /** Every file and folder under the exports folder, relative to it, temporary ones included. */
    private static Set<String> exportsListing(Path folder) {
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(folder)) {
                return Set.of();
            }
            try (Stream<Path> all = Files.walk(folder)) {
                return all.filter(p -> !p.equals(folder))
                        .map(p -> folder.relativize(p).toString())
                        // Part files and staging folders carry a run's random id.
                        .map(p -> p.replaceAll("part-\\d+-[0-9a-f-]+", "part-N")
                                .replaceAll("_staging-([0-9-]{10})-[0-9a-f-]+", "_staging-$1-ID"))
                        .collect(Collectors.toCollection(TreeSet::new));
            } catch (IOException | UncheckedIOException e) {
                // The running child renamed a folder while it was listed: look again.
                if (attempt == 5) {
                    throw new IllegalStateException("cannot list " + folder, e);
                }
            }
        }
    }

    private static List<String> listNames(Path folder, java.util.function.Predicate<String> wanted) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).filter(wanted).sorted().toList();
        } catch (IOException | UncheckedIOException e) { // renamed or deleted while listed: nothing there at this instant
            return List.of();
        }
    }

    private static String commitFile(long version) {
        return String.format("%020d.json", version);
    }

    /** The command line for one job of the day on one warehouse, configured as the demo that ran it uninterrupted. */
    private static String[] args(String job, Path warehouse, Path exports) {
        List<String> args = new ArrayList<>(List.of(job, "--date", DAY));
        args.addAll(demo.options(warehouse, exports));
        return args.toArray(String[]::new);
    }

    // ---------------------------------------------------------------- the child JVM

    /** When the watcher killed the child, how the child ended, what it printed. */
    record KillReport(double secondsAfterStart, int exitCode, String output) {}

    /**
     * A crmlake command in a JVM of its own (the test's java, classpath and Java 17 flags), so that
     * it can die as a crashed driver does: SIGKILL, no shutdown hook, no finally block.
     */
    static final class ChildJvm implements AutoCloseable {
        private final Process process;
        private final Path log;
        private final Instant started;

        private ChildJvm(Process process, Path log, Instant started) {
            this.process = process;
            this.log = log;
            this.started = started;
        }

        static ChildJvm start(Path workDir, String... args) throws IOException {
            Files.createDirectories(workDir);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx2g");
            command.addAll(inheritedFlags());
            command.add("-Duser.timezone=UTC");
            Optional.ofNullable(System.getProperty("crmlake.home")).ifPresent(h -> command.add("-Dcrmlake.home=" + h));
            // This JVM's classpath as surefire gave it: the list of entries, or a manifest-only
            // jar, which works on -cp as well (the JVM follows a jar's Class-Path). The test
            // resources on it bring log4j2-test.properties: the child logs warnings only.
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Main.class.getName());
            command.addAll(List.of(args));
            Path log = workDir.resolve("output.log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            String[] classpath = System.getProperty("java.class.path").split(java.io.File.pathSeparator);
            log("child JVM for `%s`: classpath %s", String.join(" ", List.of(args).subList(0, 3)),
                    classpath.length == 1 ? classpath[0] : classpath.length + " entries");
            return new ChildJvm(pb.start(), log, Instant.now());
        }

        /**
         * The flags Spark needs on Java 17 and the garbage collector, as this JVM got them (surefire's
         * argLine: spark.java17.flags, test.jvm.flags).
         */
        private static List<String> inheritedFlags() {
            List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")
                            || a.equals("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect.")
                            || a.startsWith("-Dio.netty.") || a.matches("-XX:\\+Use\\w+GC"))
                    .toList();
            assertThat(flags).as("this JVM's --add-opens flags, for the child").isNotEmpty();
            return flags;
        }

        /**
         * Polls until {@code reached} holds, then sends SIGKILL and waits for the child to die.
         * Fails with the child's output when it ends first or the timeout passes.
         */
        KillReport killWhen(String what, Supplier<Boolean> reached) throws Exception {
            Instant deadline = started.plus(CHILD_TIMEOUT);
            while (!reached.get()) {
                if (!process.isAlive()) {
                    fail("the child JVM ended (exit " + process.exitValue() + ") before " + what
                            + ": nothing was killed\n" + output());
                }
                if (Instant.now().isAfter(deadline)) {
                    fail("no sign after " + CHILD_TIMEOUT + " that " + what + "\n" + output());
                }
                Thread.sleep(POLL.toMillis());
            }
            process.destroyForcibly(); // SIGKILL on Linux: at once, before the child moves on
            double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                fail("the child JVM did not die within a minute of SIGKILL");
            }
            return new KillReport(seconds, process.exitValue(), output());
        }

        String output() {
            try {
                return "--- child output (" + log + ")\n" + Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "--- child output unreadable: " + e;
            }
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
