package io.crmlake.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.crmlake.config.SourceMapping;
import io.crmlake.generate.DialectWriter;
import io.crmlake.generate.GenerationSummary;
import io.crmlake.generate.GeneratorOptions;
import io.crmlake.generate.InvoiceLineWriter;
import io.crmlake.generate.SampleGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crmlake generate}: deterministic synthetic CRM exports in the landing layout. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        header = "Write a synthetic CRM export (seven entities, planted dirt and ground truth) into a landing folder.",
        description = {"Write synthetic CRM exports for all seven entities in the landing layout, with _SUCCESS markers:",
                "day one a full export of --history-days of history (a year by default), then daily incremental exports.",
                "Hidden customer types, co-purchase pairs and a few percent of realistic dirt are planted;",
                "the ground truth goes to <out>/_ground_truth/. Same options, same bytes.",
                "--profile realistic writes what shop exports carry (ISO local timestamps, guest checkouts, credit notes).",
                "--dialect invoice-lines writes the data as one flat file of invoice lines per day (<out>/invoice_lines/)."})
final class GenerateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec; // usage errors name the command (and its --date) as parsed

    @Option(names = "--customers", defaultValue = "2000", description = "Number of customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--days", defaultValue = "4", description = "Export days: one full, then incremental (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--first-date", defaultValue = "2026-11-01", paramLabel = "YYYY-MM-DD",
            description = "Date of the full export (default: ${DEFAULT-VALUE}).")
    LocalDate firstDate;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Landing folder to write into.")
    Path out;

    @Option(names = "--dialect", defaultValue = "canonical", paramLabel = "MAPPING",
            description = "Write the exports in this source mapping's dialect, e.g. salesforce, or invoice-lines for flat invoice lines (default: ${DEFAULT-VALUE}).")
    String dialect;

    @Option(names = "--profile", defaultValue = "default", paramLabel = "default|realistic",
            description = "default: every kind of dirt the cleaning rules know; realistic: guests, credit notes, ISO local times, little dirt (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--history-days", defaultValue = "365", paramLabel = "N",
            description = "Days of history in the full export of day one, at least 1 (default: ${DEFAULT-VALUE}).")
    int historyDays;

    /** The flat export of invoice lines, written by InvoiceLineWriter rather than a source mapping. */
    static final String INVOICE_LINES = "invoice-lines";

    @Override
    public Integer call() throws Exception {
        if (customers < 1 || days < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--customers and --days must be at least 1");
        }
        if (historyDays < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--history-days must be at least 1");
        }
        GeneratorOptions.Profile chosen;
        try {
            chosen = GeneratorOptions.Profile.parse(profile);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--profile': " + e.getMessage());
        }
        long started = System.nanoTime();
        boolean invoiceLines = dialect.equals(INVOICE_LINES);
        SourceMapping mapping = invoiceLines ? null : SourceMapping.load(dialect);
        GenerationSummary summary;
        if (dialect.equals("canonical")) {
            summary = SampleGenerator.generate(new GeneratorOptions(customers, days, seed, firstDate, out, chosen, historyDays));
        } else {
            // Generate canonically into a scratch folder, then write it in the dialect into out.
            Path scratch = Files.createTempDirectory("crmlake-generate-");
            try {
                summary = SampleGenerator.generate(new GeneratorOptions(customers, days, seed, firstDate, scratch, chosen, historyDays));
                if (invoiceLines) {
                    InvoiceLineWriter.convert(scratch, out);
                } else {
                    new DialectWriter(mapping).convert(scratch, out);
                }
            } finally {
                deleteTree(scratch);
            }
        }
        System.out.println(summary);
        System.out.printf("generated %d customers over %d day(s) into %s in %.1f s%n", customers, days, out,
                (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
