package io.crmlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import io.crmlake.schema.InvoiceLine;
import io.crmlake.schema.Lineage;

/**
 * Landing → bronze for one batch date: every landed row of every entity, as delivered, with its
 * lineage. Each entity's day is written with {@code replaceWhere} on {@code _batch_date}, so a
 * re-run replaces that day in one atomic commit and never duplicates it. Every file is checked
 * (marker, header) before the first write.
 *
 * <p>A flat source (the source mapping's {@code invoice-lines}) lands one folder of invoice lines:
 * they go to bronze.invoice_lines as delivered, with their position in the file, and the entities
 * are derived from them ({@link InvoiceLines}) into the entities' bronze tables, for clean to
 * check like any export. Every landed line becomes exactly one order line, so the order_items
 * reconciliation accounts for every line.
 */
public final class IngestBatch {
    /** What landed for one entity on the batch date (for a flat source: what was derived for it). */
    public record EntityResult(Entity entity, int files, int emptyFiles, long rows, boolean dayMissing) {}

    /** Rows landed (the entities', or the invoice lines of a flat source) and what each entity's bronze day got. */
    public record Ingested(long landed, List<EntityResult> entities) {}

    public static final Table INVOICE_LINES = new Table("bronze", InvoiceLine.TABLE);

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

    public Ingested run(LocalDate batchDate, String runId, Consumer<String> progress) {
        if (mapping.invoiceLines().isPresent()) {
            return runInvoiceLines(batchDate, runId, progress);
        }
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
        return new Ingested(results.stream().mapToLong(EntityResult::rows).sum(), results);
    }

    /**
     * The flat source's day: the invoice lines to bronze.invoice_lines (one commit), then the
     * entities derived from bronze to their bronze tables. A re-run replaces both.
     */
    private Ingested runInvoiceLines(LocalDate batchDate, String runId, Consumer<String> progress) {
        SourceMapping.InvoiceLines il = mapping.invoiceLines().orElseThrow();
        if (!landing.dayExists(il.folder(), batchDate)) {
            throw new IngestError("no export of invoice lines on " + batchDate + ": folder "
                    + landing.dayFolder(il.folder(), batchDate) + " does not exist: wait for the export and run ingest again");
        }
        if (!allowMissingMarker && !landing.isComplete(il.folder(), batchDate)) {
            throw new IngestError("export of invoice lines on " + batchDate + " is not complete: "
                    + landing.dayFolder(il.folder(), batchDate)
                    + " has no success marker (wait for the export, or set crmlake.ingest.allow-missing-marker=true)");
        }
        LandedFileReader reader = new LandedFileReader(lakehouse.spark(), mapping, extraColumns);
        List<LandingZone.LandedFile> files = landing.files(il.folder(), batchDate);
        // Position in the file, read before anything reorders the rows: it numbers an invoice's lines.
        FolderDay day = readFiles(files, f -> reader.readInvoiceLines(f),
                rows -> rows.withColumn(InvoiceLine.POSITION, monotonically_increasing_id()));
        Dataset<Row> rows = day.rows() != null ? day.rows() : lakehouse.spark().createDataFrame(List.of(),
                InvoiceLine.rawSchema().add(Lineage.RESCUED, DataTypes.StringType).add(Lineage.MALFORMED, DataTypes.StringType)
                        .add(InvoiceLine.POSITION, DataTypes.LongType).add(Lineage.SOURCE_FILE, DataTypes.StringType));
        int empty = day.emptyFiles();
        List<String> notes = day.notes();
        Timestamp ingestedAt = Timestamp.from(Instant.now());
        long landed = writeDay(rows, INVOICE_LINES, batchDate, runId, ingestedAt);
        progress.accept(String.format("%-13s %,9d rows from %d file(s)%s", InvoiceLine.TABLE, landed, files.size(),
                empty > 0 ? ", " + empty + " empty" : ""));
        notes.forEach(n -> progress.accept(String.format("%-13s %s", InvoiceLine.TABLE, n)));

        Dataset<Row> lines = lakehouse.read(INVOICE_LINES).where(col(Lineage.BATCH_DATE).leq(lit(java.sql.Date.valueOf(batchDate))));
        Map<Entity, Dataset<Row>> derived = InvoiceLines.derive(lines, batchDate, mapping.dateTimes(), il.cancellationPrefix());
        List<Entity> entities = Entity.inDependencyOrder();
        List<Long> written = Concurrently.map(entities, e -> writeDay(derived.get(e), Table.bronze(e), batchDate, runId, ingestedAt));
        List<EntityResult> results = new ArrayList<>();
        for (int i = 0; i < entities.size(); i++) {
            results.add(new EntityResult(entities.get(i), 0, 0, written.get(i), false));
        }
        progress.accept("derived from the invoice lines: " + String.join(", ", results.stream()
                .filter(r -> r.rows() > 0).map(r -> String.format("%s %,d", r.entity().tableName(), r.rows())).toList())
                + " (one order line per invoice line)");
        return new Ingested(landed, results);
    }

    /** What a file's header lacked or added, in words for the progress lines. */
    private List<String> headerNotes(String name, LandedFileReader.Delivered one) {
        List<String> notes = new ArrayList<>();
        if (!one.missingOptional().isEmpty()) {
            notes.add(name + " lacks optional column(s) " + one.missingOptional() + ": read as empty");
        }
        if (!one.extraColumns().isEmpty()) {
            notes.add(name + " has column(s) " + one.extraColumns() + " the source mapping does not know: "
                    + (extraColumns == ExtraColumns.KEEP ? "kept in _rescued" : "ignored"));
        }
        return notes;
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

    /** A folder's day read: its rows (null when no file had any), the empty files, what the headers lacked or added. */
    private record FolderDay(Dataset<Row> rows, int emptyFiles, List<String> notes) {}

    /**
     * Reads every non-empty file, one by one (each has its own header), adds {@code perFile} and
     * the file's path to its rows, and unions them.
     */
    private FolderDay readFiles(List<LandingZone.LandedFile> files,
            java.util.function.Function<LandingZone.LandedFile, LandedFileReader.Delivered> read,
            java.util.function.UnaryOperator<Dataset<Row>> perFile) {
        Dataset<Row> rows = null;
        int empty = 0;
        List<String> notes = new ArrayList<>();
        for (LandingZone.LandedFile f : files) {
            if (f.bytes() == 0) {
                empty++;
                continue;
            }
            LandedFileReader.Delivered one = read.apply(f);
            notes.addAll(headerNotes(new Path(f.path()).getName(), one));
            Dataset<Row> withFile = perFile.apply(one.rows()).withColumn(Lineage.SOURCE_FILE, lit(f.path()));
            rows = rows == null ? withFile : rows.unionByName(withFile);
        }
        return new FolderDay(rows, empty, notes);
    }

    /** One entity's landed rows of the day, not yet written, and what its files' headers lacked or added. */
    private record EntityDay(Entity entity, Dataset<Row> rows, int files, int emptyFiles, boolean dayMissing,
                             List<String> notes) {}

    private EntityDay readEntity(Entity entity, LocalDate batchDate) {
        LandedFileReader reader = new LandedFileReader(lakehouse.spark(), mapping, extraColumns);
        boolean dayMissing = !landing.dayExists(entity, batchDate);
        List<LandingZone.LandedFile> files = dayMissing ? List.of() : landing.files(entity, batchDate);
        FolderDay day = readFiles(files, f -> reader.read(entity, f), rows -> rows);
        Dataset<Row> rows = day.rows() != null ? day.rows()
                : lakehouse.spark().createDataFrame(List.of(), withSourceFile(entity));
        int empty = day.emptyFiles();
        List<String> notes = day.notes();
        return new EntityDay(entity, rows, files.size(), empty, dayMissing, notes);
    }

    private EntityResult write(EntityDay day, LocalDate batchDate, String runId, Timestamp ingestedAt) {
        long written = writeDay(day.rows(), Table.bronze(day.entity()), batchDate, runId, ingestedAt);
        return new EntityResult(day.entity(), day.files(), day.emptyFiles(), written, day.dayMissing());
    }

    /** Replaces the batch date's rows of a bronze table with {@code rows} and their lineage; returns the rows written. */
    private long writeDay(Dataset<Row> rows, Table table, LocalDate batchDate, String runId, Timestamp ingestedAt) {
        Dataset<Row> bronze = rows
                .withColumn(Lineage.BATCH_DATE, lit(java.sql.Date.valueOf(batchDate)))
                .withColumn(Lineage.RUN_ID, lit(runId))
                .withColumn(Lineage.INGESTED_AT, lit(ingestedAt));
        bronze.write().format("delta")
                .mode("overwrite")
                .option("replaceWhere", Lineage.BATCH_DATE + " = DATE'" + batchDate + "'")
                // Bronze tables written before _malformed existed gain the column.
                .option("mergeSchema", "true")
                .partitionBy(Lineage.BATCH_DATE)
                .save(lakehouse.path(table));
        lakehouse.register(table);
        return DeltaMetrics.metric(DeltaMetrics.latest(lakehouse.delta(table)), "numOutputRows");
    }

    private static StructType withSourceFile(Entity entity) {
        return entity.rawSchema()
                .add(Lineage.RESCUED, DataTypes.StringType)
                .add(Lineage.MALFORMED, DataTypes.StringType)
                .add(Lineage.SOURCE_FILE, DataTypes.StringType);
    }
}
