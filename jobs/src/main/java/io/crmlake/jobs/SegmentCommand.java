package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmlake segment}: one job for one batch date. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"K-means segments of gold.customer_features as of the date, named from the centroids (names carried over",
                "from the previous night): gold.customer_segments, segment_profiles, segment_history, segment_transitions."})
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
