package io.crmlake.ingest;

import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.config.SourceMapping;
import io.crmlake.lakehouse.DeltaMetrics;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;

/**
 * Landing → bronze for one batch date: every landed row of every entity, as delivered, with its
 * lineage. Each entity's day is written with {@code replaceWhere} on {@code _batch_date}, so a
 * re-run replaces that day in one atomic commit and never duplicates it.
 */
public final class IngestBatch {
    /** What landed for one entity on the batch date. */
    public record EntityResult(Entity entity, int files, int emptyFiles, long rows, boolean dayMissing) {}

    private final Lakehouse lakehouse;
    private final LandingZone landing;
    private final SourceMapping mapping;
    private final boolean allowMissingMarker;
    private final boolean allowMissingEntity;

    public IngestBatch(Lakehouse lakehouse, LandingZone landing, SourceMapping mapping,
                       boolean allowMissingMarker, boolean allowMissingEntity) {
        this.lakehouse = lakehouse;
        this.landing = landing;
        this.mapping = mapping;
        this.allowMissingMarker = allowMissingMarker;
        this.allowMissingEntity = allowMissingEntity;
    }

    public List<EntityResult> run(LocalDate batchDate, String runId, Consumer<String> progress) {
        checkComplete(batchDate);
        Timestamp ingestedAt = Timestamp.from(Instant.now());
        List<EntityResult> results = new ArrayList<>();
        for (Entity entity : Entity.inDependencyOrder()) {
            EntityResult r = ingestEntity(entity, batchDate, runId, ingestedAt);
            results.add(r);
            progress.accept(String.format("%-13s %,9d rows from %d file(s)%s%s", entity.tableName(), r.rows(),
                    r.files(), r.emptyFiles() > 0 ? ", " + r.emptyFiles() + " empty" : "",
                    r.dayMissing() ? " (no folder for this day)" : ""));
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
                            + " does not exist (set crmlake.ingest.allow-missing-entity=true to treat it as an empty day)");
                }
            } else if (!allowMissingMarker && !landing.isComplete(entity, batchDate)) {
                throw new IngestError("export of " + entity.tableName() + " on " + batchDate
                        + " is not complete: " + landing.dayFolder(entity, batchDate)
                        + " has no success marker (wait for the export, or set crmlake.ingest.allow-missing-marker=true)");
            }
        }
    }

    private EntityResult ingestEntity(Entity entity, LocalDate batchDate, String runId, Timestamp ingestedAt) {
        LandedFileReader reader = new LandedFileReader(lakehouse.spark(), mapping);
        boolean dayMissing = !landing.dayExists(entity, batchDate);
        List<LandingZone.LandedFile> files = dayMissing ? List.of() : landing.files(entity, batchDate);
        Dataset<Row> rows = null;
        int empty = 0;
        for (LandingZone.LandedFile f : files) {
            if (f.bytes() == 0) {
                empty++;
                continue;
            }
            Dataset<Row> one = reader.read(entity, f).withColumn(Lineage.SOURCE_FILE, lit(f.path()));
            rows = rows == null ? one : rows.unionByName(one);
        }
        if (rows == null) {
            rows = lakehouse.spark().createDataFrame(List.of(), withSourceFile(entity));
        }
        Dataset<Row> bronze = rows
                .withColumn(Lineage.BATCH_DATE, lit(java.sql.Date.valueOf(batchDate)))
                .withColumn(Lineage.RUN_ID, lit(runId))
                .withColumn(Lineage.INGESTED_AT, lit(ingestedAt));
        Table table = Table.bronze(entity);
        bronze.write().format("delta")
                .mode("overwrite")
                .option("replaceWhere", Lineage.BATCH_DATE + " = DATE'" + batchDate + "'")
                .partitionBy(Lineage.BATCH_DATE)
                .save(lakehouse.path(table));
        lakehouse.register(table);
        long written = DeltaMetrics.metric(DeltaMetrics.latest(lakehouse.delta(table)), "numOutputRows");
        return new EntityResult(entity, files.size(), empty, written, dayMissing);
    }

    private static StructType withSourceFile(Entity entity) {
        return entity.rawSchema()
                .add(Lineage.RESCUED, DataTypes.StringType)
                .add(Lineage.SOURCE_FILE, DataTypes.StringType);
    }
}
