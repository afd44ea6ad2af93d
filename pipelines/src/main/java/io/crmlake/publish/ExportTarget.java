package io.crmlake.publish;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Somewhere publish sends gold.customer_scores rows: files, a database. */
public interface ExportTarget {
    /** The name its progress is kept under in ops.export_state, e.g. {@code files}. */
    String name();

    /**
     * Sends the rows (gold.customer_scores columns) for the date, all or nothing, and says where
     * they went. Throws when it could not; nothing it half-did may be visible then.
     */
    String send(Dataset<Row> rows, LocalDate asOf);
}
