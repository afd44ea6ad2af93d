package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmlake basket}: one job for one batch date. */
@Command(name = "basket", mixinStandardHelpOptions = true,
        header = "FP-growth association rules of what sells together, over the look-back window's completed orders.",
        description = {"FP-growth association rules over the completed orders of the look-back window: gold.association_rules."})
final class BasketCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Override
    public Integer call() {
        JobEnvironment env = JobEnvironment.open(options.config.load(), "crmlake-basket");
        JobRunner runner = new JobRunner(env);
        Jobs.basket(env, runner, options.date);
        return 0;
    }
}
