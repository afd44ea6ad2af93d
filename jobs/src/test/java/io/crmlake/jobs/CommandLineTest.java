package io.crmlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.crmlake.testing.SharedSpark;

/** Option parsing, help and the exit codes and one-line reasons of failures people will hit first. */
class CommandLineTest {
    @BeforeAll
    static void sharedSession() {
        SharedSpark.get();
    }

    @Test
    void helpListsEveryJob() {
        CliRun r = CliRun.of("--help");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("ingest", "clean", "features", "segment", "basket", "propensity", "recommend", "scores", "publish", "nightly", "demo", "forget", "sql", "generate");
        CliRun job = CliRun.of("clean", "--help");
        assertThat(job.exitCode()).isZero();
        assertThat(job.out()).contains("--date", "--conf", "--set", "silver.quarantine");
    }

    @Test
    void helpSummarisesEachJobInAWholeSentence() {
        // The listing of `crmlake --help`: "  name  summary", the summary wrapped onto indented lines.
        String listing = CliRun.of("--help").out().split("Commands:")[1].split("\\R\\R")[0];
        java.util.Map<String, String> summaries = new java.util.LinkedHashMap<>();
        String name = null;
        for (String line : listing.strip().lines().toList()) {
            var entry = java.util.regex.Pattern.compile("^\\s{0,2}([a-z]+)\\s{2,}(.*)$").matcher(line);
            if (entry.matches()) {
                name = entry.group(1);
                summaries.put(name, entry.group(2).strip());
            } else {
                summaries.merge(name, line.strip(), (a, b) -> a + " " + b);
            }
        }
        assertThat(summaries.keySet()).contains("ingest", "clean", "segment", "propensity", "recommend", "publish", "sql");
        picocli.CommandLine cli = new picocli.CommandLine(new Main());
        summaries.forEach((job, summary) -> {
            if (job.equals("help")) {
                return; // picocli's own
            }
            // Each summary is the command's header, whole (not its description cut at a line end);
            // picocli wraps at spaces and after dots, so the two are compared without white space.
            String[] header = cli.getSubcommands().get(job).getCommandSpec().usageMessage().header();
            assertThat(header).as(job).hasSize(1);
            assertThat(header[0]).as(job).endsWith(".");
            assertThat(summary.replaceAll("\\s+", "")).as(job).isEqualTo(header[0].replaceAll("\\s+", ""));
        });
    }

    @Test
    void missingOrMalformedDateIsAUsageError() {
        CliRun missing = CliRun.of("ingest");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--date=YYYY-MM-DD'");
        CliRun bad = CliRun.of("ingest", "--date", "2026-13-01");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--date").contains("2026-13-01");
        CliRun none = CliRun.of();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("Missing job");
    }

    @Test
    void configurationErrorsNameTheKey() {
        CliRun unknown = CliRun.of("ingest", "--date", "2026-11-01", "--set", "warehous=/tmp/x");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown configuration key 'crmlake.warehous'");
        assertThat(unknown.err().strip().lines()).hasSize(1);

        CliRun missingConf = CliRun.of("ingest", "--date", "2026-11-01", "--conf", "/nonexistent/crm.conf");
        assertThat(missingConf.exitCode()).isEqualTo(2);
        assertThat(missingConf.err()).contains("configuration file not found: /nonexistent/crm.conf");
    }

    @Test
    void missingLandingFolderAndMissingDayAreNamed() {
        Path dir = SharedSpark.tempDir("cli");
        CliRun noLanding = CliRun.of("ingest", "--date", "2026-11-01", "--set", "landing=" + dir.resolve("nope"),
                "--set", "warehouse=" + dir.resolve("w"));
        assertThat(noLanding.exitCode()).as(noLanding.toString()).isEqualTo(2);
        assertThat(noLanding.err()).contains("crmlake.landing: folder " + dir.resolve("nope") + " does not exist");

        CliRun noDay = CliRun.of("ingest", "--date", "2026-11-01", "--set", "landing=" + dir,
                "--set", "warehouse=" + dir.resolve("w"));
        assertThat(noDay.exitCode()).as(noDay.toString()).isEqualTo(1);
        assertThat(noDay.err()).startsWith("crmlake ingest 2026-11-01: no export for customers on 2026-11-01: folder ")
                .contains(dir.resolve("customers").resolve("2026-11-01").toString());

        CliRun cleanFirst = CliRun.of("clean", "--date", "2026-11-01", "--set", "landing=" + dir,
                "--set", "warehouse=" + dir.resolve("w2"));
        assertThat(cleanFirst.exitCode()).isEqualTo(1);
        assertThat(cleanFirst.err()).contains("run `crmlake ingest --date 2026-11-01` first");
    }
}
