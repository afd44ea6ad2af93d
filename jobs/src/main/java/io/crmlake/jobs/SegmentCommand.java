package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmlake segment}: refit on cadence, then assign the date's customers with the current model. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        header = "K-means customer segments as of the date, refit when the model is due, with names from the centroids.",
        description = {"K-means segments of gold.customer_features as of the date: when the current model is older than",
                "models.segment.retrain-every-days, refit it (names from the centroids, carried over from the previous",
                "night) and promote it; otherwise assign with the current saved model. Writes gold.customer_segments,",
                "segment_profiles, segment_history, segment_transitions."})
final class SegmentCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Override
    public Integer call() {
        JobEnvironment env = JobEnvironment.open(options.config.load(), "crmlake-segment");
        JobRunner runner = new JobRunner(env);
        Jobs.segment(env, runner, options.date);
        return 0;
    }
}
