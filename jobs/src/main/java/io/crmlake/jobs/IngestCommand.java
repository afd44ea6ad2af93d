package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmlake ingest}: one job for one batch date. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        header = "Landing -> bronze for one date: every landed row as delivered, with lineage.",
        description = "Landing -> bronze.<entity> for one batch date: every landed row as delivered, with lineage. Re-running a date replaces it.")
final class IngestCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Override
    public Integer call() {
        JobEnvironment env = JobEnvironment.open(options.config.load(), "crmlake-ingest");
        Jobs.ingest(env, new JobRunner(env), options.date);
        return 0;
    }
}
