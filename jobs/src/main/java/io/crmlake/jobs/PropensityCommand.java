package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmlake propensity}: retrain on cadence behind the promotion gate, then score the date. */
@Command(name = "propensity", mixinStandardHelpOptions = true,
        header = "Purchase propensity for every customer, from a model retrained when due and promoted only if no worse than the current one.",
        description = {"Purchase propensity: when the current model is older than models.propensity.retrain-every-days,",
                "train a GBT candidate (out-of-time validated against logistic regression and a recency rule) and",
                "promote it only if it is no worse than the current model; then score every customer of",
                "gold.customer_features as of the date into gold.purchase_propensity with deciles."})
final class PropensityCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Override
    public Integer call() {
        JobEnvironment env = JobEnvironment.open(options.config.load(), "crmlake-propensity");
        Jobs.propensity(env, new JobRunner(env), options.date);
        return 0;
    }
}
