package io.crmlake.ops;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.spark.sql.Row;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;

/**
 * Days that were ingested but never cleaned. Exports are incremental, so silver is complete for a
 * date only when every earlier day ingested into bronze has also been merged into silver; gold
 * computed for a later date before that would silently miss the earlier day's data (say its clean
 * failed a quality gate and the scheduler went on to the next night). The gold jobs refuse then.
 */
public final class PendingDays {
    private PendingDays() {}

    /** The days before {@code date} with a successful ingest and no successful clean, in order. */
    public static List<LocalDate> before(LocalDate date, Set<LocalDate> ingested, Set<LocalDate> cleaned) {
        return new TreeSet<>(ingested).stream().filter(d -> d.isBefore(date) && !cleaned.contains(d)).toList();
    }

    /** The same, from ops.job_runs. */
    public static List<LocalDate> before(Lakehouse lakehouse, LocalDate date) {
        if (!lakehouse.exists(Table.JOB_RUNS)) {
            return List.of();
        }
        return before(date, succeeded(lakehouse, "ingest"), succeeded(lakehouse, "clean"));
    }

    private static Set<LocalDate> succeeded(Lakehouse lakehouse, String job) {
        Set<LocalDate> dates = new TreeSet<>();
        for (Row r : lakehouse.read(Table.JOB_RUNS)
                .where(col("job").equalTo(job).and(col("status").equalTo("succeeded")))
                .select("batch_date").distinct().collectAsList()) {
            dates.add(r.getDate(0).toLocalDate());
        }
        return dates;
    }
}
