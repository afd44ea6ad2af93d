package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmlake recommend}: one job for one batch date. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        header = "Product recommendations per customer: ALS once a model passes its gate against popularity, popular products otherwise.",
        description = {"ALS recommendations (implicit feedback): when the current model is older than",
                "models.recommend.retrain-every-days, a candidate is trained and promoted only when its MAP@k on a",
                "time-based hold-out is no worse than the current model's and popularity's; then gold.recommendations",
                "for the date from the current model, popular products for customers it does not know (or for everyone",
                "while no ALS model has passed the gate)."})
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
