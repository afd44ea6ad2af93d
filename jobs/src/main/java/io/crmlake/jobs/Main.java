package io.crmlake.jobs;

import io.crmlake.config.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The crmlake command line: {@code crmlake <job> --date YYYY-MM-DD [--conf FILE] [--set k=v ...]}.
 * The same main class runs locally through bin/crmlake and on a cluster through
 * {@code spark-submit --class io.crmlake.jobs.Main crmlake-jobs.jar <job> ...}.
 * Exit codes: 0 success, 1 job failure (missing input, quality gate, reconciliation),
 * 2 usage or configuration error, 3 unexpected error; the reason is one line on stderr.
 */
@Command(name = "crmlake", mixinStandardHelpOptions = true, version = "crmlake 0.1.0",
        description = "Batch analytics for CRM exports on Spark and Delta Lake: landing -> bronze -> silver -> gold.",
        subcommands = {IngestCommand.class, CleanCommand.class, FeaturesCommand.class, SegmentCommand.class, BasketCommand.class,
                PropensityCommand.class, RecommendCommand.class, ScoresCommand.class, PublishCommand.class, NightlyCommand.class, DemoCommand.class,
                ForgetCommand.class, SqlCommand.class, GenerateCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run `crmlake <job> --help` for a job's options. Exit codes: 0 ok, 1 job failed, 2 bad usage or configuration, 3 unexpected error."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing job: give one of ingest, clean, features, segment, basket, propensity, recommend, scores, publish, nightly, demo, forget, sql, generate");
    }

    public static void main(String[] args) {
        int code = execute(args);
        System.exit(code);
    }

    /** Runs the command line and returns the exit code (tests call this; main exits with it). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true); // --format csv for enum CSV
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = commandLine.getCommandName();
            if (e instanceof JobFailure f) {
                System.err.println("crmlake " + f.getMessage());
                debug(e);
                return f.exitCode;
            }
            if (e instanceof ConfigError) {
                System.err.println("crmlake " + command + ": configuration error: " + JobRunner.oneLine(e));
                return 2;
            }
            System.err.println("crmlake " + command + ": " + JobRunner.oneLine(e));
            debug(e);
            return JobRunner.exitCode(e);
        });
        return cli.execute(args);
    }

    /** Full stack traces only when asked for (CRMLAKE_DEBUG=1): the one-line reason is for people. */
    private static void debug(Throwable e) {
        if ("1".equals(System.getenv("CRMLAKE_DEBUG"))) {
            e.printStackTrace();
        }
    }
}
