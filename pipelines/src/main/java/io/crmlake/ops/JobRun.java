package io.crmlake.ops;

import java.time.Instant;
import java.time.LocalDate;

/** One row of ops.job_runs: what a job did for a batch date and how it ended. */
public record JobRun(String runId, String job, LocalDate batchDate, Instant startedAt, Instant finishedAt,
                     String status, long rowsIn, long rowsOut, long rowsQuarantined, String message) {
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    /** A model job the data cannot train yet (too little history, one class, no baskets): the night went on. */
    public static final String SKIPPED = "skipped";
}
