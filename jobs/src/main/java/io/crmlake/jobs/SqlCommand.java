package io.crmlake.jobs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.crmlake.config.Settings;
import io.crmlake.jobs.sql.ResultFormat;
import io.crmlake.jobs.sql.ResultWriter;
import io.crmlake.jobs.sql.SqlScript;
import io.crmlake.jobs.sql.SqlScript.Statement;
import io.crmlake.lakehouse.Lakehouse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crmlake sql}: Spark SQL over the warehouse's tables for analysts. Every Delta table under
 * the warehouse is registered by name first, since a fresh JVM has no metastore that remembers them.
 * Every statement runs in order; each one that returns columns (a query, SHOW, DESCRIBE, SET) has
 * its result printed, on stdout only, the others (CREATE TEMPORARY VIEW, USE, ...) print nothing.
 */
@Command(name = "sql", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Run Spark SQL over the warehouse's tables and print the results.",
        description = {"Run Spark SQL over the warehouse's tables (bronze, silver, gold, ops) and",
                "print the result on stdout. Statements separated by ';' run in order; each one",
                "that returns columns (a query, SHOW, DESCRIBE, ...) has its result printed,",
                "results separated by a blank line.",
                "Examples:",
                "  crmlake sql \"SHOW TABLES IN gold\"",
                "  crmlake sql \"SELECT * FROM gold.segment_profiles\"",
                "  crmlake sql --format csv -f report.sql > report.csv"})
final class SqlCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "QUERY",
            description = "SQL to run (quote it). Give either QUERY or --file.")
    String query;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "Read the SQL from FILE ('-' for standard input) instead of QUERY.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (aligned columns, default), csv (header, RFC 4180 quoting) or json (one object per line).")
    ResultFormat format;

    @Option(names = "--limit", paramLabel = "N",
            description = "Print at most N rows of each result; 0 prints all. Default: 1000 for table, all for csv and json. "
                    + "A table says when rows were left out, csv and json say it on stderr.")
    Integer limit;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<Statement> statements = statements();
        int rowLimit = rowLimit();
        Settings settings = config.load();
        SparkSession spark = JobEnvironment.session(settings, "crmlake-sql");
        registerWarehouse(new Lakehouse(spark, settings.warehouse()));

        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        int printed = 0;
        for (Statement s : statements) {
            try {
                Dataset<Row> result = spark.sql(s.text());
                if (result.columns().length == 0) {
                    continue; // a command that returns nothing to show
                }
                if (printed++ > 0) {
                    out.println();
                }
                ResultWriter.Written written = format.writer().write(result, rowLimit, out);
                out.flush();
                if (written.truncated() && format != ResultFormat.TABLE) {
                    System.err.printf("crmlake sql%s: printed the first %,d %s; the result has more (raise --limit, or --limit 0 for all)%n",
                            where(s, statements.size()), written.rows(), written.rows() == 1 ? "row" : "rows");
                }
            } catch (Exception e) { // AnalysisException is checked in Java's eyes but thrown undeclared by Scala
                out.flush();
                throw failure(s, statements.size(), e);
            }
        }
        out.flush();
        return 0;
    }

    /** The statements of QUERY or of --file; usage errors when there is neither, both, or nothing in them. */
    private List<Statement> statements() {
        if ((query == null) == (file == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    query == null ? "Missing SQL: give a QUERY or --file FILE" : "Give either a QUERY or --file FILE, not both");
        }
        String source = query != null ? "the query" : file.toString();
        List<Statement> statements = SqlScript.split(query != null ? query : readFile());
        if (statements.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "No SQL statement in " + source);
        }
        return statements;
    }

    private String readFile() {
        try {
            if (file.toString().equals("-")) {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new JobFailure(2, "sql: file not found: " + file + "; check the path given with --file", e);
        } catch (IOException e) {
            throw new JobFailure(2, "sql: cannot read " + file + ": " + JobRunner.oneLine(e) + "; check the file and its permissions", e);
        }
    }

    private int rowLimit() {
        int n = limit != null ? limit : format.defaultLimit();
        if (n < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 0 (all rows) or a positive number of rows, not " + n);
        }
        return n;
    }

    /**
     * Registers every table of the warehouse by name. Checked first: registering would create the
     * database folders, and an empty warehouse only leads to "table not found" on every query.
     */
    private static void registerWarehouse(Lakehouse lakehouse) {
        String hint = "; run `bin/crmlake demo` first, or point --set warehouse=PATH (or --conf) at an existing warehouse";
        if (!lakehouse.rootExists()) {
            throw new JobFailure(1, "sql: warehouse " + lakehouse.root() + " does not exist" + hint, null);
        }
        if (lakehouse.registerAll().isEmpty()) {
            throw new JobFailure(1, "sql: no Delta tables under " + lakehouse.root() + " (expected <warehouse>/<db>/<table> for db "
                    + String.join(", ", Lakehouse.DATABASES) + ")" + hint, null);
        }
    }

    /**
     * A statement Spark rejects (syntax, unknown table or column) is bad input: exit 2, like a usage
     * error. A statement that fails while running exits 1. Both keep Spark's first line, which
     * names the error class and the offending name.
     */
    private static JobFailure failure(Statement s, int count, Exception e) {
        int exitCode = e instanceof AnalysisException ? 2 : 1;
        String reason = e instanceof AnalysisException a ? a.getSimpleMessage() : JobRunner.oneLine(e);
        String action = exitCode == 2 ? "fix the statement (SHOW TABLES IN gold and DESCRIBE <table> list the names)"
                : "fix the statement or the rows it reads";
        return new JobFailure(exitCode, "sql" + where(s, count) + ": " + JobRunner.oneLine(reason).replaceFirst("[;.]+$", "")
                + "; " + action, e);
    }

    /** " (statement 2 of 3, line 5)" when the script has several statements, else nothing. */
    private static String where(Statement s, int count) {
        return count > 1 ? " (statement " + s.number() + " of " + count + ", line " + s.line() + ")" : "";
    }
}
