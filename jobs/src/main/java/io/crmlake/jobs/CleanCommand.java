package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmlake clean}: one job for one batch date. */
@Command(name = "clean", mixinStandardHelpOptions = true,
        header = "Bronze -> silver for one date: typed, normalised, deduplicated and checked; rejected rows quarantined.",
        description = "Bronze -> silver.<entity> for one batch date: typed, normalised, deduplicated, referentially checked; rejected rows to silver.quarantine; ops.dq_results; quality gate.")
final class CleanCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Override
    public Integer call() {
        JobEnvironment env = JobEnvironment.open(options.config.load(), "crmlake-clean");
        Jobs.clean(env, new JobRunner(env), options.date);
        return 0;
    }
}
