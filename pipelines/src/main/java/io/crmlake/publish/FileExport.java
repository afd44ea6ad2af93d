package io.crmlake.publish;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The file export of one date's gold.customer_scores rows:
 * {@code <exports>/customer_scores/<as_of_date>/customer_scores.csv} (one file, a header,
 * RFC 4180 quoting, UTF-8, ISO dates and UTC timestamps, formulas neutralised by
 * {@link CsvFormulaGuard}) and {@code .../parquet/} (Parquet, types and arrays kept), both with
 * the columns of the target's {@link ExportMapping}, and
 * {@code .../customer_scores_deleted.csv}: the ids of the customers deleted from the table since
 * the target's previous export (one column, the mapping's name for customer_id, same CSV format),
 * written in every export (the header alone when nobody was deleted; a full export lists nobody,
 * as it holds every current customer), so a consumer can rely on it being there.
 *
 * <p>Nothing half-written is ever visible: all three are written into a staging folder beside the
 * date's folder, which then replaces it by renames (the previous export moved aside, the new one
 * moved in, the previous one deleted). On HDFS and local disks a rename is atomic; on object
 * stores (s3a, abfs without hierarchical namespace) it is a copy, so a reader may briefly find
 * no folder, but never a partial one. A failed run leaves the previous export in place.
 *
 * <p>A run that dies without running its clean-up (SIGKILL, a lost host) leaves its
 * {@code _staging-<date>-*} folder beside the exports, possibly holding a finished CSV and no
 * Parquet, and, when it died between the two renames, the previous export aside as
 * {@code _previous-<date>-*} with no date folder. The next export of that date first puts such a
 * previous export back and deletes the leftovers, so they neither pile up nor pass for an export.
 * (Publish runs one date once at a time, so a staging folder of that date found then is a dead run's.)
 */
public final class FileExport {
    public static final String FOLDER = "customer_scores";
    public static final String CSV_FILE = "customer_scores.csv";
    public static final String PARQUET_FOLDER = "parquet";
    public static final String DELETED_CSV_FILE = "customer_scores_deleted.csv";

    /** Where the date's export now lies, how many rows it holds and how many deleted ids it lists. */
    public record Written(String folder, String csvFile, String parquetFolder, String deletedCsvFile, long rows,
                          long deletedIds) {}

    private FileExport() {}

    /** An export that deletes nobody: its deletions file holds the header alone. */
    public static Written write(Dataset<Row> scores, ExportMapping mapping, String exportsRoot, LocalDate asOf) {
        return write(scores, ScoreChanges.noneDeleted(scores.sparkSession()), mapping, exportsRoot, asOf);
    }

    /**
     * The rows and the deleted ids ({@code customer_id}, as {@link ScoreChanges#deleted} gives
     * them) of one date, moved into place together.
     */
    public static Written write(Dataset<Row> scores, Dataset<Row> deletedIds, ExportMapping mapping, String exportsRoot,
                                LocalDate asOf) {
        Dataset<Row> mapped = mapping.apply(scores).localCheckpoint(); // written twice and counted
        // Sorted, so that the file of a re-run is the same file; a consumer matches the ids on the
        // same (guarded) text as in customer_scores.csv.
        Dataset<Row> deleted = deletedIds.select("customer_id").coalesce(1).sortWithinPartitions("customer_id")
                .select(col("customer_id").as(mapping.customerIdField())).localCheckpoint();
        Path dateFolder = new Path(new Path(exportsRoot, FOLDER), asOf.toString());
        Path staging = new Path(dateFolder.getParent(), "_staging-" + asOf + "-" + UUID.randomUUID());
        try {
            FileSystem fs = dateFolder.getFileSystem(scores.sparkSession().sparkContext().hadoopConfiguration());
            clearLeftovers(fs, dateFolder);
            try {
                writeCsv(fs, CsvFormulaGuard.neutralise(mapped, mapping.listSeparator()).coalesce(1),
                        new Path(staging, "_csv"), new Path(staging, CSV_FILE));
                mapped.write().parquet(new Path(staging, PARQUET_FOLDER).toString());
                writeCsv(fs, CsvFormulaGuard.neutralise(deleted, mapping.listSeparator()),
                        new Path(staging, "_deleted_csv"), new Path(staging, DELETED_CSV_FILE));
                replace(fs, staging, dateFolder);
            } finally {
                fs.delete(staging, true);
            }
            return new Written(dateFolder.toString(), new Path(dateFolder, CSV_FILE).toString(),
                    new Path(dateFolder, PARQUET_FOLDER).toString(), new Path(dateFolder, DELETED_CSV_FILE).toString(),
                    mapped.count(), deleted.count());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the file export to " + dateFolder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Undoes what a dead run of this date left: its previous export moved aside is put back when
     * the date has no folder (what a failed run promises), its staging folders and any other
     * moved-aside export are deleted.
     */
    private static void clearLeftovers(FileSystem fs, Path dateFolder) throws IOException {
        Path parent = dateFolder.getParent();
        if (!fs.exists(parent)) {
            return;
        }
        String date = dateFolder.getName();
        FileStatus[] previous = fs.listStatus(parent, p -> p.getName().startsWith("_previous-" + date + "-"));
        // The newest one first, should dead runs have left several.
        Arrays.sort(previous, Comparator.comparingLong(FileStatus::getModificationTime).reversed());
        for (FileStatus p : previous) {
            if (!fs.exists(dateFolder)) {
                if (!fs.rename(p.getPath(), dateFolder)) {
                    throw new IOException("could not put the previous export " + p.getPath() + " back in " + dateFolder);
                }
            } else {
                fs.delete(p.getPath(), true);
            }
        }
        for (FileStatus s : fs.listStatus(parent, p -> p.getName().startsWith("_staging-" + date + "-"))) {
            fs.delete(s.getPath(), true);
        }
    }

    /** Rows of one partition as one CSV file with a header, in the export's CSV format. */
    private static void writeCsv(FileSystem fs, Dataset<Row> onePartition, Path parts, Path file) throws IOException {
        onePartition.write()
                .option("header", true)
                .option("encoding", "UTF-8")
                .option("escape", "\"") // RFC 4180: a quote inside a field is doubled, not backslashed
                .option("dateFormat", "yyyy-MM-dd")
                .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss'Z'")
                .option("emptyValue", "")
                .csv(parts.toString());
        moveSinglePart(fs, parts, file);
    }

    /** Spark wrote one part file (coalesce(1)); it becomes the export's CSV file. */
    private static void moveSinglePart(FileSystem fs, Path parts, Path target) throws IOException {
        Path part = null;
        for (FileStatus s : fs.listStatus(parts)) {
            if (s.getPath().getName().startsWith("part-")) {
                part = s.getPath();
            }
        }
        if (part == null || !fs.rename(part, target)) {
            throw new IOException("could not move the CSV part file of " + parts + " to " + target);
        }
        fs.delete(parts, true);
    }

    /** Moves the finished staging folder into the date's place, the previous export aside first. */
    private static void replace(FileSystem fs, Path staging, Path dateFolder) throws IOException {
        Path previous = new Path(dateFolder.getParent(), "_previous-" + dateFolder.getName() + "-" + UUID.randomUUID());
        boolean hadPrevious = fs.exists(dateFolder);
        if (hadPrevious && !fs.rename(dateFolder, previous)) {
            throw new IOException("could not move the previous export " + dateFolder + " aside");
        }
        if (!fs.rename(staging, dateFolder)) {
            if (hadPrevious) {
                fs.rename(previous, dateFolder);
            }
            throw new IOException("could not move the new export into " + dateFolder);
        }
        if (hadPrevious) {
            fs.delete(previous, true);
        }
    }
}
