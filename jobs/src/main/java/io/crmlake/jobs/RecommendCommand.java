package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmlake recommend}: one job for one batch date. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = {"ALS recommendations (implicit feedback), evaluated on a time-based hold-out against popularity;",
                "popular products for new customers, or for everyone when ALS does not beat popularity: gold.recommendations."})
final class RecommendCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Override
    public Integer call() {
        JobEnvironment env = JobEnvironment.open(options.config.load(), "crmlake-recommend");
        JobRunner runner = new JobRunner(env);
        Jobs.recommend(env, runner, options.date);
        return 0;
    }
}
