package io.crmlake.scores;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Optional;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;

/**
 * The batch date whose scores gold.customer_scores holds. The table only moves forward in time: a
 * scores run for a date earlier than the one it holds (a backfill, or a re-run of a past day)
 * leaves it as it is, so the held date is the latest batch date of a successful scores run in
 * ops.job_runs. (A row's as_of_date cannot say: a row keeps the date of the values it holds, and
 * unchanged rows are not rewritten.)
 */
public final class ScoresHeld {
    private ScoresHeld() {}

    public static Optional<LocalDate> date(Lakehouse lakehouse) {
        if (!lakehouse.exists(Table.JOB_RUNS) || !lakehouse.exists(Table.CUSTOMER_SCORES)) {
            return Optional.empty();
        }
        Date latest = lakehouse.read(Table.JOB_RUNS)
                .where(col("job").equalTo("scores").and(col("status").equalTo("succeeded")))
                .agg(max("batch_date")).first().getDate(0);
        return Optional.ofNullable(latest).map(Date::toLocalDate);
    }

    /** True when the table holds the scores of a date later than {@code asOf}. */
    public static Optional<LocalDate> laterThan(Lakehouse lakehouse, LocalDate asOf) {
        return date(lakehouse).filter(held -> held.isAfter(asOf));
    }
}
