package io.crmlake.jobs.sql;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.PrintWriter;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * One JSON object per row and line, written by Spark's JSON generator (what Dataset.toJSON uses),
 * so arrays, maps and structs come out as JSON arrays and objects. Unlike toJSON's default, null
 * columns are kept as {@code null}: every line carries every column, which is what jq and
 * DataFrame readers downstream expect.
 */
final class JsonLinesWriter implements ResultWriter {
    @Override
    public Written write(Dataset<Row> result, int limit, PrintWriter out) {
        String[] names = result.columns();
        String[] positional = IntStream.range(0, names.length).mapToObj(i -> "c" + i).toArray(String[]::new);
        Column[] fields = IntStream.range(0, names.length).mapToObj(i -> col(positional[i]).as(names[i]))
                .toArray(Column[]::new);
        Dataset<String> lines = result.toDF(positional)
                .select(to_json(struct(fields), Map.of("ignoreNullFields", "false")))
                .as(Encoders.STRING());
        LimitedRows<String> rows = LimitedRows.of(lines, limit);
        rows.forEachRemaining(out::println);
        return new Written(rows.returned(), rows.truncated());
    }
}
