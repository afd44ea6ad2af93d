package io.crmlake.jobs;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.crmlake.publish.PublishBatch;

/** {@code crmlake publish}: the exports of gold.customer_scores for one batch date. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        header = "Export gold.customer_scores for the date to files and the JDBC target, changed rows only.",
        description = {"Exports gold.customer_scores for the date: files (one CSV and Parquet under",
                "<exports>/customer_scores/<date>/, field names per crmlake.publish.files.mapping). After a target's",
                "first export only the rows whose crmlake.publish.material-columns changed since its last export are",
                "sent (Delta change data feed; ops.export_state), with the customers deleted since (erasures): the JDBC",
                "target deletes their rows, the files list them in customer_scores_deleted.csv. A circuit breaker",
                "refuses the night (exit 1, the last good export stays) when an upstream job failed, a day's volume is",
                "off its trailing median, or the propensity scores shifted (PSI); see ops.publish_checks."})
final class PublishCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec; // usage errors name the command (and its --date) as parsed

    @Mixin
    JobOptions options = new JobOptions();

    @Option(names = "--full", description = "Send every row to every target, not only the changes; the JDBC target "
            + "then deletes every row whose customer gold.customer_scores does not hold.")
    boolean full;

    @Option(names = "--force", description = "Send even when a circuit-breaker check fails (give --reason).")
    boolean force;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why the checks are overridden; recorded in ops.publish_checks with --force.")
    String reason;

    @Override
    public Integer call() {
        if (force && (reason == null || reason.isBlank())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--force needs --reason \"...\": the reason is recorded in ops.publish_checks");
        }
        JobEnvironment env = JobEnvironment.open(options.config.load(), "crmlake-publish");
        JobRunner runner = new JobRunner(env);
        Jobs.publish(env, runner, options.date, new PublishBatch.Options(full, force, reason));
        return 0;
    }
}
