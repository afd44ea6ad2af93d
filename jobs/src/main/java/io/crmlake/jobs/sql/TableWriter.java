package io.crmlake.jobs.sql;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The aligned table, then a footer with the row count that says when the limit left rows out. */
final class TableWriter implements ResultWriter {
    @Override
    public Written write(Dataset<Row> result, int limit, PrintWriter out) {
        LimitedRows<Row> rows = LimitedRows.of(TextColumns.of(result), limit);
        List<String[]> values = new ArrayList<>();
        rows.forEachRemaining(r -> values.add(TextColumns.values(r)));
        TextTable.render(Arrays.asList(result.columns()), TextColumns.numeric(result), values).forEach(out::println);
        boolean truncated = rows.truncated();
        if (truncated) {
            out.printf("(first %,d rows; the result has more: raise --limit, or --limit 0 for all)%n", values.size());
        } else {
            out.printf("(%,d %s)%n", values.size(), values.size() == 1 ? "row" : "rows");
        }
        return new Written(values.size(), truncated);
    }
}
