package io.crmlake.jobs;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

import io.crmlake.ingest.IngestError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crmlake demo}: nightly (every job) for every batch folder of the landing zone
 * (the shipped sample-data by default), in date order, in one SparkSession, into ./warehouse.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Every night's jobs for each date in the landing zone, in one Spark session (the shipped sample by default).",
        description = {"Run nightly (ingest, clean, features, the four models, scores) for every batch date found in the landing zone, in date order,",
                "in one Spark session. With the default conf/local.conf: sample-data/ into ./warehouse."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--summary-json", paramLabel = "FILE",
            description = "Also write the summary (per job: seconds, rows, Spark jobs, Delta commits, peak heap; the JVM's peak resident memory) as JSON to FILE.")
    Path summaryJson;

    @Override
    public Integer call() {
        JobEnvironment env = JobEnvironment.open(config.load(), "crmlake-demo");
        List<LocalDate> dates = Jobs.landing(env).batchDates();
        if (dates.isEmpty()) {
            throw new IngestError("no batch folders under " + env.settings.landing()
                    + " (expected <landing>/<entity>/<YYYY-MM-DD>/); generate some with `crmlake generate --out "
                    + env.settings.landing() + "`");
        }
        System.out.println("demo: " + dates.size() + " batch date(s) " + dates + " from " + env.settings.landing()
                + " into " + env.lakehouse.root());
        JobRunner runner = new JobRunner(env);
        for (LocalDate date : dates) {
            Jobs.nightly(env, runner, date);
        }
        runner.printSummary();
        if (summaryJson != null) {
            runner.writeSummaryJson(summaryJson);
        }
        System.out.println();
        System.out.println("Tables are Delta under " + env.lakehouse.root() + " (bronze, silver, gold, ops).");
        return 0;
    }
}
