package io.crmlake.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.ingest.IngestError;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;

/** Reads and writes of the model stages' gold tables, one as_of_date at a time. */
public final class GoldWriter {
    private GoldWriter() {}

    /** Replaces the rows of one as_of_date in one commit (partitioned by as_of_date); returns the rows now there. */
    public static long replaceDate(Lakehouse lakehouse, Table t, Dataset<Row> rows, LocalDate asOf) {
        rows.write().format("delta").mode("overwrite")
                .option("replaceWhere", "as_of_date = DATE'" + asOf + "'")
                .partitionBy("as_of_date")
                .save(lakehouse.path(t));
        lakehouse.register(t);
        return lakehouse.read(t).where(col("as_of_date").equalTo(lit(Date.valueOf(asOf)))).count();
    }

    /** gold.customer_features of one date; fails with what to run when it is missing. */
    public static Dataset<Row> featuresOf(Lakehouse lakehouse, LocalDate asOf) {
        if (!lakehouse.exists(Table.CUSTOMER_FEATURES)) {
            throw new IngestError("gold.customer_features does not exist in " + lakehouse.root()
                    + ": run `crmlake features --date " + asOf + "` first");
        }
        Dataset<Row> f = lakehouse.read(Table.CUSTOMER_FEATURES).where(col("as_of_date").equalTo(lit(Date.valueOf(asOf))));
        if (f.isEmpty()) {
            throw new IngestError("gold.customer_features has no rows as of " + asOf + ": run `crmlake features --date "
                    + asOf + "` first");
        }
        return f;
    }
}
