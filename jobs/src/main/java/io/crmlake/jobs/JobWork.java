package io.crmlake.jobs;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;

/**
 * How much work a job asked of Spark and Delta: the Spark jobs started while it ran and the Delta
 * commits it made to the warehouse. These, more than rows, are what a small night costs: each Spark
 * job has its scheduling and task start-up, each commit its log write and snapshot update. One job
 * runs at a time in a JVM, so every Spark job started between {@link #start} and {@link #stop}
 * (Delta's own included, from any thread) belongs to it.
 */
final class JobWork {
    /** What a finished job used. */
    record Used(long sparkJobs, long deltaCommits) {}

    private static final AtomicLong SPARK_JOBS = new AtomicLong();
    private static SparkContext listenedTo;

    private final Lakehouse lakehouse;
    private long sparkJobsAtStart;
    private Map<Table, Long> versionsAtStart;

    private JobWork(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
    }

    /** Starts counting a job's work on the warehouse. */
    static JobWork start(Lakehouse lakehouse) {
        listen(lakehouse.spark().sparkContext());
        JobWork w = new JobWork(lakehouse);
        w.sparkJobsAtStart = SPARK_JOBS.get();
        w.versionsAtStart = lakehouse.commitVersions();
        return w;
    }

    /** The work since {@link #start}: a table created by the job counts its first commit (v0) too. */
    Used stop() {
        try {
            // Listener events arrive on their own thread: let the last job starts in.
            lakehouse.spark().sparkContext().listenerBus().waitUntilEmpty();
        } catch (Exception e) { // a timeout only makes the count a little low
        }
        long commits = 0;
        for (var e : lakehouse.commitVersions().entrySet()) {
            commits += e.getValue() - versionsAtStart.getOrDefault(e.getKey(), -1L);
        }
        return new Used(SPARK_JOBS.get() - sparkJobsAtStart, commits);
    }

    private static synchronized void listen(SparkContext sc) {
        if (listenedTo == sc) {
            return;
        }
        listenedTo = sc;
        sc.addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                SPARK_JOBS.incrementAndGet();
            }
        });
    }
}
