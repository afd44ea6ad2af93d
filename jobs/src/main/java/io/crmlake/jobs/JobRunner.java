package io.crmlake.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import io.crmlake.config.ConfigError;
import io.crmlake.clean.QualityGateError;
import io.crmlake.clean.ReconciliationError;
import io.crmlake.ingest.IngestError;
import io.crmlake.ops.JobRun;
import io.crmlake.publish.JdbcExportException;
import io.crmlake.publish.PublishRefused;
import io.crmlake.ops.OpsTables;

/**
 * Runs one job for one batch date: gives it a run id, prints its progress lines, appends its row
 * to ops.job_runs whether it succeeds or fails, and turns known failures into a one-line reason
 * with an exit code.
 */
final class JobRunner {
    /** What a job reports when it is done. */
    record Counts(long rowsIn, long rowsOut, long rowsQuarantined, String detail) {}

    /** The body of a job: gets the run id and a progress printer. */
    interface Body {
        Counts run(String runId, Consumer<String> progress);
    }

    /** A finished job, for the end-of-command summary. */
    record Finished(String job, LocalDate date, Duration took, Counts counts) {}

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
        try {
            Counts c = body.run(runId, line -> System.out.println(prefix + line));
            Instant done = Instant.now();
            record(new JobRun(runId, job, date, started, done, JobRun.SUCCEEDED, c.rowsIn(), c.rowsOut(),
                    c.rowsQuarantined(), c.detail()));
            Duration took = Duration.between(started, done);
            finished.add(new Finished(job, date, took, c));
            System.out.printf("%sdone in %.1f s: %,d rows in, %,d rows out, %,d quarantined%n",
                    prefix, took.toMillis() / 1000.0, c.rowsIn(), c.rowsOut(), c.rowsQuarantined());
            return c;
        } catch (RuntimeException e) {
            String reason = name + ": " + oneLine(e);
            try {
                record(new JobRun(runId, job, date, started, Instant.now(), JobRun.FAILED, 0, 0, 0, oneLine(e)));
            } catch (RuntimeException recordFailure) {
                e.addSuppressed(recordFailure);
            }
            throw new JobFailure(exitCode(e), reason, e);
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

    /** The first line of a message, at most 600 characters: what fits a one-line reason. */
    static String oneLine(String m) {
        String first = m.strip().split("\\R", 2)[0];
        return first.length() > 600 ? first.substring(0, 600) + "…" : first;
    }

    void printSummary() {
        if (finished.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.printf("%-10s  %-9s  %8s  %10s  %10s  %11s%n", "date", "job", "seconds", "rows in", "rows out", "quarantined");
        for (Finished f : finished) {
            System.out.printf("%-10s  %-9s  %8.1f  %,10d  %,10d  %,11d%n", f.date(), f.job(), f.took().toMillis() / 1000.0,
                    f.counts().rowsIn(), f.counts().rowsOut(), f.counts().rowsQuarantined());
        }
    }
}
