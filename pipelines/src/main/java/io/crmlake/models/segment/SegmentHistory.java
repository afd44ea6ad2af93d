package io.crmlake.models.segment;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * gold.segment_history: each customer's segments over time as validity intervals
 * (customer_id, segment_name, valid_from, valid_to), valid_to null for the current segment and
 * otherwise the date the next segment took over, so the moves of a night can be counted.
 *
 * <p>{@link #update} is idempotent and can replay a date: it first undoes everything dated on or
 * after the as-of date — rows that start then are dropped, rows that end then are reopened — and
 * then applies the night's assignments. Re-running the same date gives the same history; an earlier
 * date truncates the history to that date, so the caller replays the later dates after it, in
 * order (SegmentBatch does, from gold.customer_segments).
 */
public final class SegmentHistory {
    public static final List<String> COLUMNS = List.of("customer_id", "segment_name", "valid_from", "valid_to");

    private SegmentHistory() {}

    /**
     * The full new history: unchanged customers keep their open row; customers whose segment changed
     * get it closed at {@code asOf} and a new open row from {@code asOf}; new customers get an open
     * row; customers absent tonight (erased, or no longer scored) get their open row closed.
     *
     * @param history  the current gold.segment_history rows
     * @param tonight  assignments: customer_id, segment_name, as_of_date (only {@code asOf} rows are used)
     */
    public static Dataset<Row> update(Dataset<Row> history, Dataset<Row> tonight, LocalDate asOf) {
        Column day = lit(Date.valueOf(asOf));
        Column none = lit(null).cast("date");
        Dataset<Row> before = history.where(col("valid_from").lt(day))
                .select(col("customer_id"), col("segment_name"), col("valid_from"),
                        when(col("valid_to").geq(day), none).otherwise(col("valid_to")).as("valid_to"));
        Dataset<Row> now = tonight.where(col("as_of_date").equalTo(day))
                .select(col("customer_id").as("tonight_id"), col("segment_name").as("tonight"));

        // One pass: closed rows meet nobody and pass through; an open row meets the customer's
        // assignment, if any; an assignment without an open row meets nobody.
        Dataset<Row> met = before.join(now,
                col("customer_id").equalTo(col("tonight_id")).and(col("valid_to").isNull()), "full_outer");
        Column open = col("segment_name").isNotNull().and(col("valid_to").isNull());
        Column moved = not(col("segment_name").eqNullSafe(col("tonight")));
        Column old = when(col("segment_name").isNotNull(), struct(col("customer_id"), col("segment_name"),
                col("valid_from"), when(open.and(moved), day).otherwise(col("valid_to")).as("valid_to")));
        Column started = when(col("tonight").isNotNull().and(moved), struct(col("tonight_id").as("customer_id"),
                col("tonight").as("segment_name"), day.as("valid_from"), none.as("valid_to")));
        return met.select(explode(array(old, started)).as("row"))
                .where(col("row").isNotNull())
                .select(COLUMNS.stream().map(c -> col("row." + c).as(c)).toArray(Column[]::new));
    }

    /**
     * The moves of one night: as_of_date, from_segment (null for a customer seen for the first
     * time), to_segment, customers. Customers who left (closed row, no new one) are not moves.
     */
    public static Dataset<Row> transitions(Dataset<Row> history, LocalDate asOf) {
        Column day = lit(Date.valueOf(asOf));
        Dataset<Row> to = history.where(col("valid_from").equalTo(day))
                .select(col("customer_id"), col("segment_name").as("to_segment"));
        Dataset<Row> from = history.where(col("valid_to").equalTo(day))
                .select(col("customer_id"), col("segment_name").as("from_segment"));
        return to.join(from, new String[]{"customer_id"}, "left")
                .groupBy("from_segment", "to_segment").agg(count(lit(1)).as("customers"))
                .select(day.as("as_of_date"), col("from_segment"), col("to_segment"), col("customers"));
    }

}
