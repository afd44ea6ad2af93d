package io.crmlake.jobs;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crmlake nightly}: one job for one batch date. */
@Command(name = "nightly", mixinStandardHelpOptions = true,
        header = "Every job for one date in order, in one Spark session, from ingest to publish.",
        description = {"Every job for one date in order, in one Spark session: ingest, clean, features, segment, basket,",
                "propensity, recommend, scores, publish."})
final class NightlyCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Option(names = "--summary-json", paramLabel = "FILE",
            description = "Also write the summary (per job: seconds, rows, Spark jobs, Delta commits, peak heap; the JVM's peak resident memory) as JSON to FILE.")
    Path summaryJson;

    @Override
    public Integer call() {
        JobEnvironment env = JobEnvironment.open(options.config.load(), "crmlake-nightly");
        JobRunner runner = new JobRunner(env);
        Jobs.nightly(env, runner, options.date);
        runner.printSummary();
        if (summaryJson != null) {
            runner.writeSummaryJson(summaryJson);
        }
        return 0;
    }
}
