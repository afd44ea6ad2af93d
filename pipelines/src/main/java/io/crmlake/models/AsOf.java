package io.crmlake.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.apache.spark.sql.Column;

/**
 * The as-of date of a model run and the time filters derived from it, in UTC. "As of D" means
 * everything that happened on or before D: timestamps before the start of D+1, so a model built
 * for a past date sees exactly what was known then. A window of N days covers the N dates
 * D-N+1 .. D, the same convention as the feature stage.
 */
public record AsOf(LocalDate date) {
    public static AsOf of(LocalDate date) {
        return new AsOf(date);
    }

    /** Start of the day after the as-of date: the exclusive upper bound of every timestamp used. */
    public Timestamp end() {
        return startOf(date.plusDays(1));
    }

    /** Start of the first day of a window of {@code days} dates ending with the as-of date. */
    public Timestamp windowStart(int days) {
        return startOf(date.plusDays(1L - days));
    }

    public Column dateLiteral() {
        return lit(Date.valueOf(date));
    }

    /** The timestamp column lies on or before the as-of date. */
    public Column known(String timestampColumn) {
        return col(timestampColumn).lt(lit(end()));
    }

    /** The timestamp column lies within the window of {@code days} dates ending with the as-of date. */
    public Column within(String timestampColumn, int days) {
        return col(timestampColumn).geq(lit(windowStart(days))).and(known(timestampColumn));
    }

    /** The same as-of logic, {@code days} earlier: the cut-off of a time-based hold-out. */
    public AsOf minusDays(int days) {
        return new AsOf(date.minusDays(days));
    }

    private static Timestamp startOf(LocalDate day) {
        return Timestamp.from(day.atStartOfDay().toInstant(ZoneOffset.UTC));
    }
}
