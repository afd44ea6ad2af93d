package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmlake scores}: one job for one batch date. */
@Command(name = "scores", mixinStandardHelpOptions = true,
        header = "One row per customer with the date's segment, propensity and recommendations: gold.customer_scores.",
        description = {"gold.customer_scores: one row per customer joining the date's segment, propensity and recommendations (MERGE, changed rows only)."})
final class ScoresCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Override
    public Integer call() {
        JobEnvironment env = JobEnvironment.open(options.config.load(), "crmlake-scores");
        JobRunner runner = new JobRunner(env);
        Jobs.scores(env, runner, options.date);
        return 0;
    }
}
