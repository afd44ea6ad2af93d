package io.crmlake.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.crmlake.generate.GeneratorOptions;
import io.crmlake.generate.SampleGenerator;
import io.crmlake.testing.Folders;
import io.crmlake.testing.SharedSpark;

/**
 * The demo through the real command line, night after night, on generated data with planted dirt:
 * built once and shared by the tests that need a warehouse of whole nights.
 * {@link DemoIntegrationTest} checks the demo itself; {@link KilledJobTest} starts its killed jobs
 * from the middle of the first night and compares them with what that night wrote. While the demo
 * runs, the warehouse (and the exports) are copied as some jobs of the first night start (the job
 * prints its "run" line before it reads or writes anything, the job before it has committed
 * everything): {@link Snapshot}. Nothing may write to the warehouse, the exports or the snapshots
 * afterwards: a test that changes them works on a copy ({@link Folders#copy}).
 *
 * <p>Built at most once per test run: once per JVM, and once per {@code mvn} run when Surefire
 * gives the run's folder (system property {@value #SHARED_FOLDER_PROPERTY}, see jobs/pom.xml),
 * where the first JVM that needs it builds it under a file lock and the other JVMs (Surefire's
 * second fork) wait for it and read it from there. The demo's exit code, output and log lines are
 * kept with it.
 */
final class DemoWarehouse {
    static final int DAYS = 2;
    static final LocalDate FIRST = LocalDate.parse("2026-11-01");
    static final LocalDate LAST = FIRST.plusDays(DAYS - 1L);
    /** Set by Surefire to a folder of its own per mvn run: the demo is built there once for every fork. */
    static final String SHARED_FOLDER_PROPERTY = "crmlake.test.shared-folder";

    /** Copies of the warehouse and exports taken as a job of the first night starts. */
    enum Snapshot {
        /** The first night's data ingested, nothing cleaned. */
        BEFORE_CLEAN("clean", FIRST),
        /** The first night cleaned: silver, quarantine and the dq rows of the day. */
        BEFORE_FEATURES("features", FIRST),
        /** The first night's scores in gold, nothing published. */
        BEFORE_PUBLISH("publish", FIRST),
        /** The whole first night, its export sent, before the second night's ingest. */
        AFTER_FIRST_NIGHT("ingest", FIRST.plusDays(1));

        /** The line JobRunner prints when the job starts. */
        final String startLine;

        Snapshot(String job, LocalDate date) {
            this.startLine = "[" + job + " " + date + "] run ";
        }

        String folderName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private static DemoWarehouse built;

    private final Path dir;
    private final String salt;
    private final CliRun run;
    private final List<String> logLines;

    private DemoWarehouse(Path dir, String salt, CliRun run, List<String> logLines) {
        this.dir = dir;
        this.salt = salt;
        this.run = run;
        this.logLines = List.copyOf(logLines);
    }

    /** The demo, built on first use in this test run. */
    static synchronized DemoWarehouse get() {
        if (built == null) {
            try {
                built = obtain();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return built;
    }

    private static DemoWarehouse obtain() throws IOException {
        SharedSpark.get();
        String shared = System.getProperty(SHARED_FOLDER_PROPERTY);
        if (shared == null || shared.isBlank()) {
            return build(SharedSpark.tempDir("demo"));
        }
        Path dir = Path.of(shared).resolve("demo");
        Files.createDirectories(dir);
        // One builder; the other JVMs of the run block here until it is done, then read what it kept.
        try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            Path done = dir.resolve("demo-run.json");
            if (Files.exists(done)) {
                System.out.println("[DemoWarehouse] the demo another JVM of this test run built: " + dir);
                return load(dir, done);
            }
            removeEarlierRuns(Path.of(shared));
            DemoWarehouse demo = build(dir);
            new ObjectMapper().writeValue(dir.resolve("demo-run.json.tmp").toFile(), Map.of("salt", demo.salt,
                    "exit_code", demo.run.exitCode(), "out", demo.run.out(), "err", demo.run.err(),
                    "log_lines", demo.logLines));
            Files.move(dir.resolve("demo-run.json.tmp"), done, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return demo;
        }
    }

    /**
     * The folders earlier mvn runs left beside this run's (named by their start time, so earlier
     * ones sort first): their demos are of no use to this run.
     */
    private static void removeEarlierRuns(Path run) throws IOException {
        Path parent = run.toAbsolutePath().getParent();
        String name = run.getFileName().toString();
        String prefix = name.replaceFirst("[0-9-]+$", "");
        if (parent == null || prefix.isEmpty() || prefix.equals(name)) {
            return;
        }
        try (var siblings = Files.list(parent)) {
            for (Path earlier : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().compareTo(name) < 0).toList()) {
                try (var all = Files.walk(earlier)) {
                    for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static DemoWarehouse load(Path dir, Path done) throws IOException {
        var json = new ObjectMapper().readTree(done.toFile());
        List<String> lines = new ArrayList<>();
        json.get("log_lines").forEach(l -> lines.add(l.asText()));
        return new DemoWarehouse(dir, json.get("salt").asText(), new CliRun(json.get("exit_code").asInt(),
                json.get("out").asText(), json.get("err").asText()), lines);
    }

    private static DemoWarehouse build(Path dir) throws IOException {
        String salt = "demo-salt-" + UUID.randomUUID();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("match-key-salt"), salt + "\n");
        SampleGenerator.generate(new GeneratorOptions(300, DAYS, 7L, FIRST, dir.resolve("landing")));
        DemoWarehouse demo = new DemoWarehouse(dir, salt, null, List.of());
        LogLines logLines = new LogLines();
        logLines.start();
        LoggerConfig root = ((LoggerContext) LogManager.getContext(false)).getConfiguration().getRootLogger();
        root.addAppender(logLines, Level.ALL, null);
        Map<String, Snapshot> atLine = new LinkedHashMap<>();
        for (Snapshot s : Snapshot.values()) {
            atLine.put(s.startLine, s);
        }
        CliRun run;
        long started = System.nanoTime();
        try {
            // Only demo and nightly take --summary-json.
            List<String> args = new ArrayList<>(List.of("demo", "--summary-json", demo.summaryJson().toString()));
            args.addAll(demo.options(demo.warehouse(), demo.exports()));
            run = CliRun.of(line -> atLine.entrySet().stream().filter(e -> line.startsWith(e.getKey())).findFirst()
                    .ifPresent(e -> demo.takeSnapshot(e.getValue())), args.toArray(String[]::new));
        } finally {
            root.removeAppender(logLines.getName());
            ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        }
        System.out.printf("[DemoWarehouse] demo of %d nights (exit %d) built in %.0f s: %s%n", DAYS, run.exitCode(),
                (System.nanoTime() - started) / 1e9, dir);
        return new DemoWarehouse(dir, salt, run, logLines.lines);
    }

    private void takeSnapshot(Snapshot s) {
        try {
            Path to = snapshot(s);
            Folders.copy(warehouse(), to.resolve("warehouse"));
            if (Files.isDirectory(exports())) {
                Folders.copy(exports(), to.resolve("exports"));
            } else {
                Files.createDirectories(to.resolve("exports"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the warehouse for " + s, e);
        }
    }

    /** Every log line the demo's JVM printed while it ran (at the levels the test configuration lets through). */
    private static final class LogLines extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        LogLines() {
            super("demo-log-lines", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            Throwable thrown = event.getThrown();
            lines.add(event.getMessage().getFormattedMessage() + (thrown == null ? "" : " " + thrown));
        }
    }

    /**
     * The demo's configuration for any command on a warehouse and exports folder: its landing zone,
     * salt, and small models so the tests stay quick.
     */
    List<String> options(Path warehouse, Path exports) {
        return List.of("--set", "landing=" + landing(), "--set", "warehouse=" + warehouse,
                "--set", "exports=" + exports, "--set", "pii.match-key-salt-file=" + saltFile(),
                // The last day of so small a population is a handful of orders, where one planted
                // orphan is over the default gate's 10%: the gate has its own tests (CleanBatchTest).
                "--set", "clean.max-quarantine-share=0.5",
                // The test JVM's session runs two shuffle partitions on its two cores (SharedSpark);
                // without a configuration file a job would set the shipped eight.
                "--set", "spark.shuffle-partitions=2",
                "--set", "models.segment.k=4", "--set", "models.segment.max-iter=10",
                "--set", "models.propensity.max-iter=10", "--set", "models.recommend.max-iter=5");
    }

    /** The demo's exit code, output and error output. */
    CliRun run() {
        return run;
    }

    /** The log lines of the demo's JVM while it ran. */
    List<String> logLines() {
        return logLines;
    }

    /** The salt of the email match key, from a secrets file as a deployment would mount it. */
    String salt() {
        return salt;
    }

    Path saltFile() {
        return dir.resolve("match-key-salt");
    }

    Path landing() {
        return dir.resolve("landing");
    }

    Path warehouse() {
        return dir.resolve("warehouse");
    }

    Path exports() {
        return dir.resolve("exports");
    }

    Path summaryJson() {
        return dir.resolve("summary.json");
    }

    /** The folder of one snapshot: {@code warehouse/} and {@code exports/}. */
    Path snapshot(Snapshot s) {
        return dir.resolve("snapshots").resolve(s.folderName());
    }
}
