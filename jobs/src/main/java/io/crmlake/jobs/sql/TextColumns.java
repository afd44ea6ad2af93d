package io.crmlake.jobs.sql;

import static org.apache.spark.sql.functions.col;

import java.util.stream.IntStream;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * A result with every column cast to a string by Spark itself, so values read as Spark prints them
 * ({@code [a, b]} for arrays, {@code {k -> v}} for maps, {@code 2026-11-01 00:00:00} in the session
 * time zone for timestamps); nulls stay null. Columns are addressed by position, so a join's
 * duplicate column names do not get in the way.
 */
final class TextColumns {
    private TextColumns() {}

    static Dataset<Row> of(Dataset<Row> result) {
        int n = result.columns().length;
        String[] positional = IntStream.range(0, n).mapToObj(i -> "c" + i).toArray(String[]::new);
        Column[] asText = IntStream.range(0, n).mapToObj(i -> col("c" + i).cast("string")).toArray(Column[]::new);
        return result.toDF(positional).select(asText);
    }

    /** The row's values as strings, null where the value is null. */
    static String[] values(Row textRow) {
        String[] values = new String[textRow.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = textRow.isNullAt(i) ? null : textRow.getString(i);
        }
        return values;
    }

    /** Which columns hold numbers (a table right-aligns them). */
    static boolean[] numeric(Dataset<Row> result) {
        StructField[] fields = result.schema().fields();
        boolean[] numeric = new boolean[fields.length];
        for (int i = 0; i < fields.length; i++) {
            DataType type = fields[i].dataType();
            numeric[i] = type instanceof NumericType;
        }
        return numeric;
    }
}
