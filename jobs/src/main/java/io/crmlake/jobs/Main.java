package io.crmlake.jobs;

import org.apache.spark.sql.SparkSession;

import io.crmlake.config.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The crmlake command line: {@code crmlake <job> --date YYYY-MM-DD [--conf FILE] [--set k=v ...]}.
 * The same main class runs locally through bin/crmlake and on a cluster through
 * {@code spark-submit --class io.crmlake.jobs.Main crmlake-jobs.jar <job> ...}.
 * Exit codes: 0 success, 1 job failure (missing input, quality gate, reconciliation),
 * 2 usage or configuration error, 3 unexpected error. A failure ends with one line on stderr:
 * {@code crmlake <job> [<date>]: <what broke>; <what to do>}.
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
        Outcome outcome = runCommandLine(args);
        if (outcome.reason() != null) {
            // Spark logs while it stops, and its shutdown hook would stop it after the reason:
            // stop it now, so that the reason stays the last line on stderr.
            stopSpark();
            System.err.println(outcome.reason());
        }
        System.exit(outcome.exitCode());
    }

    /** Runs the command line, prints the reason of a failure on stderr and returns the exit code (tests call this). */
    public static int execute(String... args) {
        Outcome outcome = runCommandLine(args);
        if (outcome.reason() != null) {
            System.err.println(outcome.reason());
        }
        return outcome.exitCode();
    }

    /** The exit code and, for a failure, the one line for stderr: {@code crmlake <job> [<date>]: <what broke>; <what to do>}. */
    record Outcome(int exitCode, String reason) {}

    static Outcome runCommandLine(String... args) {
        String[] reason = {null};
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true); // --format csv for enum CSV
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            debug(e);
            if (e instanceof JobFailure f) { // JobRunner's reason already names the job and the date
                reason[0] = "crmlake " + f.getMessage();
                return f.exitCode;
            }
            // A failure outside a job: starting the session, reading the configuration, listing the landing zone.
            reason[0] = "crmlake" + jobAndDate(commandLine) + ": " + (e instanceof ConfigError ? "configuration error: " : "")
                    + JobRunner.reason(e, null);
            return JobRunner.exitCode(e);
        });
        // Usage errors: the one line and where to look, rather than picocli's message followed by the whole usage.
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine commandLine = e.getCommandLine();
            String suggestions = e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()
                    ? " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)" : "";
            reason[0] = "crmlake" + jobAndDate(commandLine) + ": " + JobRunner.oneLine(e.getMessage()) + suggestions
                    + "; see `" + commandLine.getCommandSpec().qualifiedName() + " --help`";
            return commandLine.getCommandSpec().exitCodeOnInvalidInput();
        });
        try {
            return new Outcome(cli.execute(args), reason[0]);
        } catch (Error e) { // picocli hands only exceptions to the handler; an error outside a job gets its line too
            debug(e);
            CommandLine.ParseResult parsed = cli.getParseResult();
            while (parsed != null && parsed.subcommand() != null) {
                parsed = parsed.subcommand();
            }
            return new Outcome(3, "crmlake" + (parsed == null ? "" : jobAndDate(parsed.commandSpec().commandLine())) + ": "
                    + JobRunner.reason(e, null));
        }
    }

    /** " ingest 2026-11-01" for a dated job, " sql" for a command without a date, "" for the top level. */
    private static String jobAndDate(CommandLine commandLine) {
        String name = commandLine.getCommandSpec().qualifiedName(" ").replaceFirst("^crmlake", "");
        CommandLine.ParseResult parsed = commandLine.getParseResult();
        Object date = parsed == null ? null : parsed.matchedOptionValue("--date", null);
        return date == null ? name : name + " " + date;
    }

    private static void stopSpark() {
        try {
            scala.Option<SparkSession> session = SparkSession.getDefaultSession();
            if (session.isDefined()) {
                session.get().stop();
            }
        } catch (Throwable e) { // the reason matters more than a clean stop
            debug(e);
        }
    }

    /** Full stack traces only when asked for (CRMLAKE_DEBUG=1): the one-line reason is for people. */
    private static void debug(Throwable e) {
        if (debugging()) {
            e.printStackTrace();
        }
    }

    static boolean debugging() {
        return "1".equals(System.getenv("CRMLAKE_DEBUG"));
    }
}
