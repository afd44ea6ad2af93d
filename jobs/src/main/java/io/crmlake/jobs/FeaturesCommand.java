package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmlake features}: one job for one batch date. */
@Command(name = "features", mixinStandardHelpOptions = true,
        header = "Per-customer features as of the date into gold.customer_features (nothing after the date is used).",
        description = "Silver -> gold.customer_features as of the batch date (point in time: nothing after the date is used).")
final class FeaturesCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Override
    public Integer call() {
        JobEnvironment env = JobEnvironment.open(options.config.load(), "crmlake-features");
        Jobs.features(env, new JobRunner(env), options.date);
        return 0;
    }
}
