package io.crmlake.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.apache.spark.sql.Column;

/**
 * The as-of date of a feature computation and the time filters derived from it. "As of D" means
 * everything that happened on or before D (UTC): timestamps before the start of D+1. The recent
 * window of N days covers the N dates D-N+1 .. D.
 */
record PointInTime(LocalDate asOf, int recentDays) {
    /** Start of the day after the as-of date: the exclusive upper bound of every timestamp used. */
    Timestamp end() {
        return Timestamp.from(asOf.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    /** Start of the first day of the recent window. */
    Timestamp recentStart() {
        return Timestamp.from(asOf.plusDays(1 - recentDays).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    Column asOfLiteral() {
        return lit(Date.valueOf(asOf));
    }

    /** The timestamp column lies on or before the as-of date. */
    Column known(String timestampColumn) {
        return col(timestampColumn).lt(lit(end()));
    }

    /** The timestamp column lies within the recent window. */
    Column recent(String timestampColumn) {
        return col(timestampColumn).geq(lit(recentStart())).and(known(timestampColumn));
    }
}
