package io.crmlake.publish;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;

/**
 * ops.export_state: per export target, the version of gold.customer_scores it last received in
 * full or in part, and when. Written only after a target's export succeeded, in one MERGE, so a
 * failed export leaves the state where it was and the next run sends those changes again.
 *
 * <p>{@code rows} counts the rows sent, {@code deletions} the customer ids the target was told to
 * delete (README "Exports"). A table made before {@code deletions} existed gains the column (empty
 * in its old rows, read as 0).
 */
public final class ExportState {
    public static final StructType SCHEMA = new StructType()
            .add("target", DataTypes.StringType)
            .add("table_version", DataTypes.LongType)
            .add("as_of_date", DataTypes.DateType)
            .add("exported_at", DataTypes.TimestampType)
            .add("mode", DataTypes.StringType)
            .add("rows", DataTypes.LongType)
            .add("run_id", DataTypes.StringType)
            .add("deletions", DataTypes.LongType);

    /** One target's last successful export. */
    public record Entry(String target, long tableVersion, LocalDate asOfDate, Instant exportedAt, String mode,
                        long rows, long deletions, String runId) {}

    private final Lakehouse lakehouse;

    public ExportState(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
        lakehouse.createIfMissing(Table.EXPORT_STATE, SCHEMA);
        lakehouse.addMissingColumns(Table.EXPORT_STATE, SCHEMA);
        lakehouse.register(Table.EXPORT_STATE);
    }

    public Optional<Entry> last(String target) {
        List<Row> rows = lakehouse.read(Table.EXPORT_STATE).where(col("target").equalTo(target)).collectAsList();
        return rows.stream().findFirst().map(r -> new Entry(r.getAs("target"), r.<Long>getAs("table_version"),
                r.<Date>getAs("as_of_date").toLocalDate(), r.<Timestamp>getAs("exported_at").toInstant(), r.getAs("mode"),
                r.<Long>getAs("rows"), r.isNullAt(r.fieldIndex("deletions")) ? 0 : r.<Long>getAs("deletions"),
                r.getAs("run_id")));
    }

    public void record(Entry e) {
        Row row = RowFactory.create(e.target(), e.tableVersion(), Date.valueOf(e.asOfDate()),
                Timestamp.from(e.exportedAt()), e.mode(), e.rows(), e.runId(), e.deletions());
        lakehouse.delta(Table.EXPORT_STATE).as("t")
                .merge(lakehouse.spark().createDataFrame(List.of(row), SCHEMA).as("s"), "t.target = s.target")
                .whenMatched().updateAll()
                .whenNotMatched().insertAll()
                .execute();
    }
}
