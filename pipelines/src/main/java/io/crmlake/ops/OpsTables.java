package io.crmlake.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;

/** Writers of the ops tables: ops.job_runs (appended) and ops.dq_results (replaced per batch and entity). */
public final class OpsTables {
    public static final StructType JOB_RUNS_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add("job", DataTypes.StringType)
            .add("batch_date", DataTypes.DateType)
            .add("started_at", DataTypes.TimestampType)
            .add("finished_at", DataTypes.TimestampType)
            .add("status", DataTypes.StringType)
            .add("rows_in", DataTypes.LongType)
            .add("rows_out", DataTypes.LongType)
            .add("rows_quarantined", DataTypes.LongType)
            .add("message", DataTypes.StringType);

    /**
     * ops.dq_results: per batch, entity and rule, the rows that broke it out of the rows landed.
     * {@code severity} is error (quarantined), warn (kept, value nulled) or info (where valid rows
     * went: inserted, updated, superseded, not_newer, exact_duplicate; and the reconciliation check
     * itself, whose failed_rows is the difference between landed and accounted-for rows).
     */
    public static final StructType DQ_SCHEMA = new StructType()
            .add("batch_date", DataTypes.DateType)
            .add("entity", DataTypes.StringType)
            .add("rule", DataTypes.StringType)
            .add("severity", DataTypes.StringType)
            .add("failed_rows", DataTypes.LongType)
            .add("total_rows", DataTypes.LongType)
            .add("run_id", DataTypes.StringType);

    /** One row of ops.dq_results. */
    public record DqRow(String entity, String rule, String severity, long failedRows, long totalRows) {}

    private final Lakehouse lakehouse;

    public OpsTables(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
    }

    public void appendJobRun(JobRun r) {
        Row row = RowFactory.create(r.runId(), r.job(), r.batchDate() == null ? null : Date.valueOf(r.batchDate()),
                Timestamp.from(r.startedAt()), Timestamp.from(r.finishedAt()), r.status(),
                r.rowsIn(), r.rowsOut(), r.rowsQuarantined(), r.message());
        lakehouse.spark().createDataFrame(List.of(row), JOB_RUNS_SCHEMA)
                .write().format("delta").mode("append").save(lakehouse.path(Table.JOB_RUNS));
        lakehouse.register(Table.JOB_RUNS);
    }

    /** Replaces the results of the given entities for one batch date in one commit. */
    public void writeDqResults(LocalDate batchDate, List<String> entities, List<DqRow> rows, String runId) {
        List<Row> out = new ArrayList<>();
        for (DqRow r : rows) {
            out.add(RowFactory.create(Date.valueOf(batchDate), r.entity(), r.rule(), r.severity(), r.failedRows(),
                    r.totalRows(), runId));
        }
        Dataset<Row> df = lakehouse.spark().createDataFrame(out, DQ_SCHEMA).coalesce(1);
        // The first day: nothing to replace, so one write creates the table with the rows.
        if (lakehouse.createWith(Table.DQ_RESULTS, df, DQ_SCHEMA)) {
            return;
        }
        df.write().format("delta").mode("overwrite")
                .option("replaceWhere", "batch_date = DATE'" + batchDate + "' AND " + entityIn(entities))
                .save(lakehouse.path(Table.DQ_RESULTS));
    }

    /** SQL predicate {@code entity IN ('a', 'b')} for entity names (lower-case identifiers, no quoting needed). */
    public static String entityIn(List<String> entities) {
        return "entity IN (" + String.join(", ", entities.stream().map(e -> "'" + e + "'").toList()) + ")";
    }

    /** Rows of ops.dq_results for one batch date. */
    public Dataset<Row> dqResults(LocalDate batchDate) {
        return lakehouse.read(Table.DQ_RESULTS).where(col("batch_date").equalTo(lit(Date.valueOf(batchDate))));
    }
}
