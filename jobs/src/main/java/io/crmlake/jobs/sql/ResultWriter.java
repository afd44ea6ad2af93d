package io.crmlake.jobs.sql;

import java.io.PrintWriter;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Prints one statement's result in one format. */
public interface ResultWriter {
    /** What was printed: the number of rows, and whether the limit left rows out. */
    record Written(long rows, boolean truncated) {}

    /** Prints at most {@code limit} rows of the result (0 = all); running the query happens here. */
    Written write(Dataset<Row> result, int limit, PrintWriter out);
}
