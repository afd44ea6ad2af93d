package io.crmlake.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import io.crmlake.config.SourceMapping;
import io.crmlake.schema.Entity;

/**
 * The landing zone: {@code <landing>/<folder>/<YYYY-MM-DD>/} holding the files of one export day
 * and, once the export is complete, a success marker. The folders are the entities' (named by
 * the source mapping) or, for a flat source, the one folder of invoice lines ({@link #folders()}).
 * Works on any Hadoop file system.
 */
public final class LandingZone {
    /** A landed data file and its size in bytes. */
    public record LandedFile(String path, String format, long bytes) {}

    private final Path root;
    private final Configuration hadoopConf;
    private final SourceMapping mapping;
    private final String successMarker;

    public LandingZone(String root, Configuration hadoopConf, SourceMapping mapping, String successMarker) {
        this.root = new Path(root);
        this.hadoopConf = hadoopConf;
        this.mapping = mapping;
        this.successMarker = successMarker;
    }

    /** The folders this source lands in: one per entity, or the invoice-line folder of a flat source. */
    public List<String> folders() {
        return mapping.invoiceLines().map(il -> List.of(il.folder()))
                .orElseGet(() -> Entity.inDependencyOrder().stream().map(e -> mapping.entity(e).folder()).toList());
    }

    public Path dayFolder(Entity entity, LocalDate date) {
        return dayFolder(mapping.entity(entity).folder(), date);
    }

    public Path dayFolder(String folder, LocalDate date) {
        return new Path(new Path(root, folder), date.toString());
    }

    public boolean rootExists() {
        try {
            return fs().exists(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean dayExists(Entity entity, LocalDate date) {
        return dayExists(mapping.entity(entity).folder(), date);
    }

    public boolean dayExists(String folder, LocalDate date) {
        try {
            return fs().isDirectory(dayFolder(folder, date));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isComplete(Entity entity, LocalDate date) {
        return isComplete(mapping.entity(entity).folder(), date);
    }

    public boolean isComplete(String folder, LocalDate date) {
        try {
            return fs().exists(new Path(dayFolder(folder, date), successMarker));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Data files of one day, sorted by name; markers and hidden files are not data. */
    public List<LandedFile> files(Entity entity, LocalDate date) {
        return files(mapping.entity(entity).folder(), date);
    }

    /** Data files of one day of a folder, sorted by name. */
    public List<LandedFile> files(String folder, LocalDate date) {
        List<LandedFile> files = new ArrayList<>();
        try {
            for (FileStatus st : fs().listStatus(dayFolder(folder, date))) {
                String name = st.getPath().getName();
                if (!st.isFile() || name.startsWith("_") || name.startsWith(".")) {
                    continue;
                }
                String format = formatOf(name);
                if (format == null) {
                    throw new IngestError("cannot ingest " + st.getPath() + ": unknown file type (expected .csv, .json, .jsonl or .parquet): move it out of the day folder"
                            + " and run ingest again");
                }
                files.add(new LandedFile(st.getPath().toString(), format, st.getLen()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(Comparator.comparing(LandedFile::path));
        return files;
    }

    /** Every batch date that has a day folder in at least one of the source's folders, in date order. */
    public List<LocalDate> batchDates() {
        TreeSet<LocalDate> dates = new TreeSet<>();
        try {
            for (String name : folders()) {
                Path folder = new Path(root, name);
                if (!fs().isDirectory(folder)) {
                    continue;
                }
                for (FileStatus st : fs().listStatus(folder)) {
                    if (st.isDirectory()) {
                        try {
                            dates.add(LocalDate.parse(st.getPath().getName()));
                        } catch (DateTimeParseException ignored) {
                            // Not a day folder (e.g. a tool's scratch folder): not a batch.
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(dates);
    }

    static String formatOf(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv") || n.endsWith(".csv.gz")) {
            return "csv";
        }
        if (n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".json.gz")) {
            return "json";
        }
        if (n.endsWith(".parquet")) {
            return "parquet";
        }
        return null;
    }

    private FileSystem fs() throws IOException {
        return root.getFileSystem(hadoopConf);
    }
}
