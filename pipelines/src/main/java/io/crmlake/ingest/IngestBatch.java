package io.crmlake.ingest;

import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.config.SourceMapping;
import io.crmlake.lakehouse.Concurrently;
import io.crmlake.lakehouse.DeltaMetrics;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;

/**
 * Landing → bronze for one batch date: every landed row of every entity, as delivered, with its
 * lineage. Each entity's day is written with {@code replaceWhere} on {@code _batch_date}, so a
 * re-run replaces that day in one atomic commit and never duplicates it. Every file is checked
 * (marker, header) before the first write.
 */
public final class IngestBatch {
    /** What landed for one entity on the batch date. */
    public record EntityResult(Entity entity, int files, int emptyFiles, long rows, boolean dayMissing) {}

    private final Lakehouse lakehouse;
    private final LandingZone landing;
    private final SourceMapping mapping;
    private final boolean allowMissingMarker;
    private final boolean allowMissingEntity;
    private final ExtraColumns extraColumns;

    public IngestBatch(Lakehouse lakehouse, LandingZone landing, SourceMapping mapping,
                       boolean allowMissingMarker, boolean allowMissingEntity, ExtraColumns extraColumns) {
        this.lakehouse = lakehouse;
        this.landing = landing;
        this.mapping = mapping;
        this.allowMissingMarker = allowMissingMarker;
        this.allowMissingEntity = allowMissingEntity;
        this.extraColumns = extraColumns;
    }

    public List<EntityResult> run(LocalDate batchDate, String runId, Consumer<String> progress) {
        checkComplete(batchDate);
        // Every file's header is read and checked before the first table is written, so an export
        // that cannot be ingested leaves every bronze table as it was.
        List<EntityDay> days = new ArrayList<>();
        for (Entity entity : Entity.inDependencyOrder()) {
            days.add(readEntity(entity, batchDate));
        }
        Timestamp ingestedAt = Timestamp.from(Instant.now());
        // The entities' bronze tables are independent: written a few at a time, reported in order.
        List<EntityResult> results = Concurrently.map(days, day -> write(day, batchDate, runId, ingestedAt));
        for (int i = 0; i < days.size(); i++) {
            EntityDay day = days.get(i);
            EntityResult r = results.get(i);
            progress.accept(String.format("%-13s %,9d rows from %d file(s)%s%s", day.entity().tableName(), r.rows(),
                    r.files(), r.emptyFiles() > 0 ? ", " + r.emptyFiles() + " empty" : "",
                    r.dayMissing() ? " (no folder for this day)" : ""));
            day.notes().forEach(n -> progress.accept(String.format("%-13s %s", day.entity().tableName(), n)));
        }
        return results;
    }

    /** Fails before anything is written when a day folder or its marker is missing. */
    private void checkComplete(LocalDate batchDate) {
        for (Entity entity : Entity.inDependencyOrder()) {
            if (!landing.dayExists(entity, batchDate)) {
                if (!allowMissingEntity) {
                    throw new IngestError("no export for " + entity.tableName() + " on " + batchDate
                            + ": folder " + landing.dayFolder(entity, batchDate)
                            + " does not exist: wait for the export and run ingest again (or set"
                            + " crmlake.ingest.allow-missing-entity=true to treat it as an empty day)");
                }
            } else if (!allowMissingMarker && !landing.isComplete(entity, batchDate)) {
                throw new IngestError("export of " + entity.tableName() + " on " + batchDate
                        + " is not complete: " + landing.dayFolder(entity, batchDate)
                        + " has no success marker (wait for the export, or set crmlake.ingest.allow-missing-marker=true)");
            }
        }
    }

    /** One entity's landed rows of the day, not yet written, and what its files' headers lacked or added. */
    private record EntityDay(Entity entity, Dataset<Row> rows, int files, int emptyFiles, boolean dayMissing,
                             List<String> notes) {}

    private EntityDay readEntity(Entity entity, LocalDate batchDate) {
        LandedFileReader reader = new LandedFileReader(lakehouse.spark(), mapping, extraColumns);
        boolean dayMissing = !landing.dayExists(entity, batchDate);
        List<LandingZone.LandedFile> files = dayMissing ? List.of() : landing.files(entity, batchDate);
        Dataset<Row> rows = null;
        int empty = 0;
        List<String> notes = new ArrayList<>();
        for (LandingZone.LandedFile f : files) {
            if (f.bytes() == 0) {
                empty++;
                continue;
            }
            LandedFileReader.Delivered one = reader.read(entity, f);
            String name = new Path(f.path()).getName();
            if (!one.missingOptional().isEmpty()) {
                notes.add(name + " lacks optional column(s) " + one.missingOptional() + ": read as empty");
            }
            if (!one.extraColumns().isEmpty()) {
                notes.add(name + " has column(s) " + one.extraColumns() + " the source mapping does not know: "
                        + (extraColumns == ExtraColumns.KEEP ? "kept in _rescued" : "ignored"));
            }
            Dataset<Row> withFile = one.rows().withColumn(Lineage.SOURCE_FILE, lit(f.path()));
            rows = rows == null ? withFile : rows.unionByName(withFile);
        }
        if (rows == null) {
            rows = lakehouse.spark().createDataFrame(List.of(), withSourceFile(entity));
        }
        return new EntityDay(entity, rows, files.size(), empty, dayMissing, notes);
    }

    private EntityResult write(EntityDay day, LocalDate batchDate, String runId, Timestamp ingestedAt) {
        Dataset<Row> bronze = day.rows()
                .withColumn(Lineage.BATCH_DATE, lit(java.sql.Date.valueOf(batchDate)))
                .withColumn(Lineage.RUN_ID, lit(runId))
                .withColumn(Lineage.INGESTED_AT, lit(ingestedAt));
        Table table = Table.bronze(day.entity());
        bronze.write().format("delta")
                .mode("overwrite")
                .option("replaceWhere", Lineage.BATCH_DATE + " = DATE'" + batchDate + "'")
                // Bronze tables written before _malformed existed gain the column.
                .option("mergeSchema", "true")
                .partitionBy(Lineage.BATCH_DATE)
                .save(lakehouse.path(table));
        lakehouse.register(table);
        long written = DeltaMetrics.metric(DeltaMetrics.latest(lakehouse.delta(table)), "numOutputRows");
        return new EntityResult(day.entity(), day.files(), day.emptyFiles(), written, day.dayMissing());
    }

    private static StructType withSourceFile(Entity entity) {
        return entity.rawSchema()
                .add(Lineage.RESCUED, DataTypes.StringType)
                .add(Lineage.MALFORMED, DataTypes.StringType)
                .add(Lineage.SOURCE_FILE, DataTypes.StringType);
    }
}
