package io.crmlake.jobs.sql;

import java.io.PrintWriter;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A header line with the column names, then one CSV line per row, streamed. */
final class CsvWriter implements ResultWriter {
    @Override
    public Written write(Dataset<Row> result, int limit, PrintWriter out) {
        out.println(Csv.line(result.columns()));
        LimitedRows<Row> rows = LimitedRows.of(TextColumns.of(result), limit);
        rows.forEachRemaining(r -> out.println(Csv.line(TextColumns.values(r))));
        return new Written(rows.returned(), rows.truncated());
    }
}
