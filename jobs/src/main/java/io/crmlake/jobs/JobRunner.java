package io.crmlake.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.spark.SparkContext;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.crmlake.config.ConfigError;
import io.crmlake.clean.QualityGateError;
import io.crmlake.clean.ReconciliationError;
import io.crmlake.ingest.IngestError;
import io.crmlake.models.ModelSkipped;
import io.crmlake.ops.JobRun;
import io.crmlake.publish.JdbcExportException;
import io.crmlake.publish.PublishRefused;
import io.crmlake.ops.OpsTables;

/**
 * Runs one job for one batch date: gives it a run id, prints its progress lines, appends its row
 * to ops.job_runs whether it succeeds, is skipped (a model the data cannot train yet:
 * {@link ModelSkipped}) or fails, and turns failures into a one-line reason (what broke; what to
 * do) with an exit code. While the job runs, its run id is on every log line of
 * the JVM and labels its Spark jobs.
 */
final class JobRunner {
    /**
     * The system property holding the running job's run id, which conf/log4j2.properties puts on
     * every log line with a {@code $${sys:crmlake.run.id:--}} lookup, evaluated per event. A system
     * property rather than log4j's ThreadContext, because Spark logs from its own threads (task
     * threads, Delta's pools) that a job thread's ThreadContext never reaches, and pooled threads
     * outlive the job that created them. One job runs at a time in a JVM.
     */
    static final String RUN_ID_PROPERTY = "crmlake.run.id";

    /** For a configuration error whose message names the key at fault but not what to do. */
    static final String FIX_CONFIGURATION =
            "fix it in the configuration file (--conf, else conf/local.conf) or with --set KEY=VALUE, then run again";

    /** What a job reports when it is done. */
    record Counts(long rowsIn, long rowsOut, long rowsQuarantined, String detail) {}

    /** What a skipped job reports: nothing done, and why. */
    static Counts skipped(String reason) {
        return new Counts(0, 0, 0, reason);
    }

    /** The body of a job: gets the run id and a progress printer. */
    interface Body {
        Counts run(String runId, Consumer<String> progress);
    }

    /** A finished job, for the end-of-command summary: its status, wall time, counts and heap figures. */
    record Finished(String job, LocalDate date, String status, Duration took, Counts counts, MemoryWatch.Heap heap,
            JobWork.Used work) {}

    private final JobEnvironment env;
    private final List<Finished> finished = new ArrayList<>();

    JobRunner(JobEnvironment env) {
        this.env = env;
    }

    List<Finished> finished() {
        return finished;
    }

    Counts run(String job, LocalDate date, Body body) {
        // A job without a batch date (forget) is named by the job alone.
        String name = date == null ? job : job + " " + date;
        String runId = name.replace(' ', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        String prefix = "[" + name + "] ";
        Instant started = Instant.now();
        System.out.println(prefix + "run " + runId + " on " + env.lakehouse.root());
        String outerRunId = System.getProperty(RUN_ID_PROPERTY);
        System.setProperty(RUN_ID_PROPERTY, runId);
        SparkContext sc = env.spark.sparkContext();
        MemoryWatch.reset();
        JobWork work = JobWork.start(env.lakehouse);
        try {
            // The Spark UI and event log show, for every Spark job this thread starts, the group id
            // (the run id) and this description, unless Delta sets its own for the job.
            sc.setJobGroup(runId, "crmlake " + name + " (run " + runId + ")", false);
            Counts c;
            String status = JobRun.SUCCEEDED;
            try {
                c = body.run(runId, line -> System.out.println(prefix + line));
            } catch (ModelSkipped skipped) {
                // The data cannot train the model yet: recorded, said, and the night goes on.
                c = skipped(oneLine(skipped));
                status = JobRun.SKIPPED;
            }
            Instant done = Instant.now();
            record(new JobRun(runId, job, date, started, done, status, c.rowsIn(), c.rowsOut(),
                    c.rowsQuarantined(), c.detail()));
            Duration took = Duration.between(started, done);
            finished.add(new Finished(job, date, status, took, c, MemoryWatch.heap(), work.stop()));
            if (status.equals(JobRun.SKIPPED)) {
                System.out.printf("%sskipped in %.1f s: %s%n", prefix, took.toMillis() / 1000.0, c.detail());
            } else {
                System.out.printf("%sdone in %.1f s: %,d rows in, %,d rows out, %,d quarantined%n",
                        prefix, took.toMillis() / 1000.0, c.rowsIn(), c.rowsOut(), c.rowsQuarantined());
            }
            return c;
        } catch (Throwable e) { // Scala throws checked exceptions (AnalysisException) undeclared; errors (out of memory,
                                // a Delta built for another Spark) deserve their row in ops.job_runs and their reason too
            boolean recorded = false;
            try {
                record(new JobRun(runId, job, date, started, Instant.now(), JobRun.FAILED, 0, 0, 0, oneLine(e)));
                recorded = true;
            } catch (RuntimeException recordFailure) {
                e.addSuppressed(recordFailure);
            }
            throw new JobFailure(exitCode(e), name + ": " + reason(e, recorded ? runId + " (recorded in ops.job_runs)" : runId), e);
        } finally {
            sc.clearJobGroup();
            if (outerRunId == null) {
                System.clearProperty(RUN_ID_PROPERTY);
            } else {
                System.setProperty(RUN_ID_PROPERTY, outerRunId);
            }
        }
    }

    private void record(JobRun run) {
        new OpsTables(env.lakehouse).appendJobRun(run);
    }

    static int exitCode(Throwable e) {
        if (e instanceof ConfigError) {
            return 2;
        }
        if (e instanceof IngestError || e instanceof QualityGateError || e instanceof ReconciliationError
                || e instanceof PublishRefused || e instanceof JdbcExportException) {
            return 1;
        }
        return 3;
    }

    static String oneLine(Throwable e) {
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /**
     * The first line of a message, at most 600 characters: what fits a one-line reason. A longer
     * line loses its middle, not its end, where messages say what to do.
     */
    static String oneLine(String m) {
        String first = m.strip().split("\\R", 2)[0];
        return first.length() > 600 ? first.substring(0, 400) + " … " + first.substring(first.length() - 200) : first;
    }

    /**
     * What broke and what to do, on one line. Known failures (exit 1: missing input, quality gate,
     * refused publish, failed export) say what to do in their own message; a configuration error
     * gets the generic remedy unless it brings its own; anything else is unexpected and points at
     * the stack trace and the run's row in ops.job_runs. {@code run} names the run; null outside a job.
     */
    static String reason(Throwable e, String run) {
        String what = oneLine(e);
        String bare = what.replaceFirst("[;.]+$", ""); // Spark's first lines end with ';'
        return switch (exitCode(e)) {
            case 1 -> what;
            case 2 -> e instanceof ConfigError c && c.saysWhatToDo() ? what : bare + "; " + FIX_CONFIGURATION;
            default -> (e.getMessage() == null ? bare : e.getClass().getSimpleName() + ": " + bare) + "; "
                    + (run == null ? "unexpected error" : "unexpected error in run " + run)
                    + (e instanceof OutOfMemoryError ? ": give the driver more memory (CRMLAKE_DRIVER_MEMORY for bin/crmlake, "
                            + "--driver-memory for spark-submit)"
                    : Main.debugging() ? ": the stack trace is above" : ": re-run with CRMLAKE_DEBUG=1 for the stack trace");
        };
    }

    void printSummary() {
        if (finished.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.printf("%-10s  %-9s  %8s  %10s  %10s  %11s  %10s  %7s  %9s  %9s%n", "date", "job", "seconds", "rows in",
                "rows out", "quarantined", "spark jobs", "commits", "heap MiB", "live MiB");
        for (Finished f : finished) {
            System.out.printf("%-10s  %-9s  %8.1f  %,10d  %,10d  %,11d  %,10d  %,7d  %,9d  %,9d%n", f.date(), f.job(),
                    f.took().toMillis() / 1000.0, f.counts().rowsIn(), f.counts().rowsOut(), f.counts().rowsQuarantined(),
                    f.work().sparkJobs(), f.work().deltaCommits(), f.heap().peakUsedBytes() >> 20, f.heap().peakLiveBytes() >> 20);
        }
        System.out.println("spark jobs: Spark jobs the job started; commits: Delta commits it made to the warehouse");
        System.out.println("heap: the most in use at once; live: the most still in use after a garbage collection");
        for (Finished f : finished) {
            if (f.status().equals(JobRun.SKIPPED)) {
                System.out.printf("skipped: %s %s: %s%n", f.job(), f.date(), f.counts().detail());
            }
        }
        MemoryWatch.peakResidentBytes().ifPresent(b -> System.out.printf("peak resident memory of this JVM: %,d MiB%n", b >> 20));
    }

    /**
     * The summary as JSON, for benchmarks and schedulers that keep figures: one object per finished
     * job (seconds, counts, Spark jobs and Delta commits, peak heap in use and peak live heap after a
     * collection) plus the JVM's peak resident memory and maximum heap.
     */
    void writeSummaryJson(Path file) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Finished f : finished) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("job", f.job());
            j.put("date", f.date() == null ? null : f.date().toString());
            j.put("status", f.status());
            j.put("seconds", f.took().toMillis() / 1000.0);
            j.put("rows_in", f.counts().rowsIn());
            j.put("rows_out", f.counts().rowsOut());
            j.put("rows_quarantined", f.counts().rowsQuarantined());
            j.put("spark_jobs", f.work().sparkJobs());
            j.put("delta_commits", f.work().deltaCommits());
            j.put("peak_heap_bytes", f.heap().peakUsedBytes());
            j.put("peak_live_heap_bytes", f.heap().peakLiveBytes());
            jobs.add(j);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("jobs", jobs);
        OptionalLong resident = MemoryWatch.peakResidentBytes();
        summary.put("peak_resident_bytes", resident.isPresent() ? resident.getAsLong() : null);
        summary.put("max_heap_bytes", MemoryWatch.maxHeapBytes());
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the summary to " + file, e);
        }
    }
}
