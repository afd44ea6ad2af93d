package io.crmlake.publish;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Somewhere publish sends gold.customer_scores rows: files, a database. */
public interface ExportTarget {
    /**
     * One export of gold.customer_scores for a date.
     *
     * @param asOf       the batch date
     * @param full       {@code rows} is the whole table (the target's first export, {@code --full}, or
     *                   changes-only off): a customer it does not hold is no longer in the table
     * @param rows       the rows to send (gold.customer_scores columns): every row when full, else the
     *                   changed ones
     * @param deletedIds the customers deleted from the table since the target's last export (one
     *                   column, {@code customer_id}; see {@link ScoreChanges#deleted}); none in a full
     *                   export, where their absence from {@code rows} says it
     */
    record Export(LocalDate asOf, boolean full, Dataset<Row> rows, Dataset<Row> deletedIds) {}

    /** The name its progress is kept under in ops.export_state, e.g. {@code files}. */
    String name();

    /**
     * Sends the export, rows and deletions together, all or nothing, and says where they went.
     * Throws when it could not; nothing it half-did may be visible then.
     */
    String send(Export export);
}
