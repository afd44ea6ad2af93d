package io.crmlake.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
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
 * the columns of the target's {@link ExportMapping}.
 *
 * <p>Nothing half-written is ever visible: both are written into a staging folder beside the
 * date's folder, which then replaces it by renames (the previous export moved aside, the new one
 * moved in, the previous one deleted). On HDFS and local disks a rename is atomic; on object
 * stores (s3a, abfs without hierarchical namespace) it is a copy, so a reader may briefly find
 * no folder, but never a partial one. A failed run leaves the previous export in place.
 */
public final class FileExport {
    public static final String FOLDER = "customer_scores";
    public static final String CSV_FILE = "customer_scores.csv";
    public static final String PARQUET_FOLDER = "parquet";

    /** Where the date's export now lies and how many rows it holds. */
    public record Written(String folder, String csvFile, String parquetFolder, long rows) {}

    private FileExport() {}

    public static Written write(Dataset<Row> scores, ExportMapping mapping, String exportsRoot, LocalDate asOf) {
        Dataset<Row> mapped = mapping.apply(scores).localCheckpoint(); // written twice and counted
        Path dateFolder = new Path(new Path(exportsRoot, FOLDER), asOf.toString());
        Path staging = new Path(dateFolder.getParent(), "_staging-" + asOf + "-" + UUID.randomUUID());
        try {
            FileSystem fs = dateFolder.getFileSystem(scores.sparkSession().sparkContext().hadoopConfiguration());
            try {
                Path csvParts = new Path(staging, "_csv");
                CsvFormulaGuard.neutralise(mapped, mapping.listSeparator()).coalesce(1).write()
                        .option("header", true)
                        .option("encoding", "UTF-8")
                        .option("escape", "\"") // RFC 4180: a quote inside a field is doubled, not backslashed
                        .option("dateFormat", "yyyy-MM-dd")
                        .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss'Z'")
                        .option("emptyValue", "")
                        .csv(csvParts.toString());
                moveSinglePart(fs, csvParts, new Path(staging, CSV_FILE));
                mapped.write().parquet(new Path(staging, PARQUET_FOLDER).toString());
                replace(fs, staging, dateFolder);
            } finally {
                fs.delete(staging, true);
            }
            return new Written(dateFolder.toString(), new Path(dateFolder, CSV_FILE).toString(),
                    new Path(dateFolder, PARQUET_FOLDER).toString(), mapped.count());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the file export to " + dateFolder + ": " + e.getMessage(), e);
        }
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
