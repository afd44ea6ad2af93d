package io.crmlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.crmlake.testing.SharedSpark;

/**
 * Every failure ends with one line on stderr, {@code crmlake <job> <date>: <what broke>; <what to do>},
 * and a failed job leaves its row, under its run id, in ops.job_runs. Each failure here happens
 * before any real work, on an empty temporary warehouse.
 */
class FailureReasonTest {
    private static final Pattern RUN_ID = Pattern.compile("^\\[[^]]+] run (\\S+) on ", Pattern.MULTILINE);

    @BeforeAll
    static void sharedSession() {
        SharedSpark.get();
    }

    @Test
    void missingLandingDaySaysWhatToDo() {
        Path dir = SharedSpark.tempDir("fail-ingest");
        Path warehouse = dir.resolve("w");
        CliRun r = CliRun.of("ingest", "--date", "2026-11-01", "--set", "landing=" + dir, "--set", "warehouse=" + warehouse);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(lastLine(r)).startsWith("crmlake ingest 2026-11-01: no export for customers on 2026-11-01")
                .contains(dir.resolve("customers").resolve("2026-11-01").toString())
                .contains("set crmlake.ingest.allow-missing-entity=true");
        assertFailedRun(r, warehouse, "ingest");
    }

    @Test
    void cleanBeforeIngestSaysToIngestFirst() {
        Path dir = SharedSpark.tempDir("fail-clean");
        Path warehouse = dir.resolve("w");
        CliRun r = CliRun.of("clean", "--date", "2026-11-01", "--set", "landing=" + dir, "--set", "warehouse=" + warehouse);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(lastLine(r)).startsWith("crmlake clean 2026-11-01: bronze.")
                .endsWith(": run `crmlake ingest --date 2026-11-01` first");
        assertFailedRun(r, warehouse, "clean");
    }

    @Test
    void badConfigurationValueIsExitTwoWithTheRemedy() {
        Path dir = SharedSpark.tempDir("fail-conf");
        CliRun r = CliRun.of("clean", "--date", "2026-11-01", "--set", "landing=" + dir, "--set", "warehouse=" + dir.resolve("w"),
                "--set", "clean.max-quarantine-share=2");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(lastLine(r)).isEqualTo("crmlake clean 2026-11-01: configuration error: crmlake.clean.max-quarantine-share "
                + "must be between 0 and 1, got 2.0; " + JobRunner.FIX_CONFIGURATION);

        // Inside a job (the landing folder is checked by the job itself): its own remedy, and a row in ops.job_runs.
        Path warehouse = dir.resolve("w2");
        CliRun noLanding = CliRun.of("ingest", "--date", "2026-11-01", "--set", "landing=" + dir.resolve("nope"),
                "--set", "warehouse=" + warehouse);
        assertThat(noLanding.exitCode()).as(noLanding.toString()).isEqualTo(2);
        assertThat(lastLine(noLanding)).isEqualTo("crmlake ingest 2026-11-01: crmlake.landing: folder " + dir.resolve("nope")
                + " does not exist; set crmlake.landing in the configuration or with --set landing=PATH");
        assertFailedRun(noLanding, warehouse, "ingest");
    }

    @Test
    void usageErrorsAreOneLineWithWhereToLook() {
        CliRun badDate = CliRun.of("ingest", "--date", "2026-13-01");
        assertThat(badDate.exitCode()).as(badDate.toString()).isEqualTo(2);
        assertThat(badDate.err().strip().lines()).as(badDate.toString()).hasSize(1);
        assertThat(lastLine(badDate)).startsWith("crmlake ingest: Invalid value for option '--date'")
                .contains("2026-13-01").endsWith("; see `crmlake ingest --help`");

        CliRun typo = CliRun.of("ingets", "--date", "2026-11-01");
        assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(2);
        assertThat(lastLine(typo)).startsWith("crmlake: ").contains("'ingets'").endsWith("; see `crmlake --help`");

        // Raised by the command itself once --date is parsed: the date is named.
        CliRun force = CliRun.of("publish", "--date", "2026-11-01", "--force");
        assertThat(force.exitCode()).as(force.toString()).isEqualTo(2);
        assertThat(lastLine(force)).startsWith("crmlake publish 2026-11-01: --force needs --reason");
    }

    @Test
    void unexpectedErrorPointsAtTheStackTraceAndTheRun() {
        // gold.customer_features without its columns: scores cannot even plan its query.
        Path dir = SharedSpark.tempDir("fail-unexpected");
        Path warehouse = dir.resolve("w");
        SharedSpark.get().range(1).write().format("delta").save(warehouse.resolve("gold").resolve("customer_features").toString());
        CliRun r = CliRun.of("scores", "--date", "2026-11-01", "--set", "landing=" + dir, "--set", "warehouse=" + warehouse);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        String runId = assertFailedRun(r, warehouse, "scores");
        assertThat(lastLine(r)).startsWith("crmlake scores 2026-11-01: ")
                .contains("AnalysisException: [UNRESOLVED_COLUMN").contains("`as_of_date`").doesNotContain(";;")
                .endsWith("; unexpected error in run " + runId + " (recorded in ops.job_runs): re-run with CRMLAKE_DEBUG=1 "
                        + "for the stack trace");
    }

    private static String lastLine(CliRun r) {
        List<String> lines = r.err().strip().lines().toList();
        assertThat(lines).as(r.toString()).isNotEmpty();
        return lines.get(lines.size() - 1);
    }

    /** The run id the job printed, after checking that ops.job_runs holds it as failed. */
    private static String assertFailedRun(CliRun r, Path warehouse, String job) {
        Matcher m = RUN_ID.matcher(r.out());
        assertThat(m.find()).as(r.toString()).isTrue();
        String runId = m.group(1);
        assertThat(runId).startsWith(job + "-2026-11-01-");
        List<Row> rows = SharedSpark.get().read().format("delta").load(warehouse.resolve("ops").resolve("job_runs").toString())
                .where(org.apache.spark.sql.functions.col("run_id").equalTo(runId))
                .select("job", "batch_date", "status").collectAsList();
        assertThat(rows).as(r.toString()).hasSize(1);
        assertThat(rows.get(0).getString(0)).isEqualTo(job);
        assertThat(rows.get(0).getDate(1)).hasToString("2026-11-01");
        assertThat(rows.get(0).getString(2)).isEqualTo("failed");
        return runId;
    }
}
