package io.crmlake.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;

import io.crmlake.schema.Entity;

/**
 * Streams generated rows into {@code <out>/<entity>/<day>/<entity>.csv}, one open writer per
 * entity and day, and finishes each day folder with its _SUCCESS marker. A file can be told to
 * leave out a column (a real export quirk the pipeline must survive).
 */
final class LandingWriter implements AutoCloseable {
    private final Path out;
    private final List<LocalDate> days;
    private final Map<String, CsvWriter> writers = new LinkedHashMap<>();
    private final Map<String, Integer> omittedColumn = new LinkedHashMap<>();
    private final Map<String, Long> counts = new TreeMap<>();

    LandingWriter(Path out, List<LocalDate> days) {
        this.out = out;
        this.days = days;
    }

    /** The customers file of {@code day} will lack {@code column} entirely. */
    void omitColumn(Entity e, LocalDate day, String column) {
        omittedColumn.put(key(e, day), e.columnNames().indexOf(column));
    }

    void write(Entity e, LocalDate day, Object... values) {
        CsvWriter w = writers.computeIfAbsent(key(e, day), k -> open(e, day));
        Integer omit = omittedColumn.get(key(e, day));
        if (omit != null) {
            List<Object> kept = new ArrayList<>(java.util.Arrays.asList(values));
            kept.remove((int) omit);
            w.writeRow(kept);
        } else {
            w.writeRow(values);
        }
        counts.merge(key(e, day), 1L, Long::sum);
    }

    /** Rows written per "entity/day". */
    Map<String, Long> counts() {
        return counts;
    }

    private CsvWriter open(Entity e, LocalDate day) {
        try {
            Path dir = out.resolve(e.tableName()).resolve(day.toString());
            Files.createDirectories(dir);
            Writer file = Files.newBufferedWriter(dir.resolve(e.tableName() + ".csv"), StandardCharsets.UTF_8);
            CsvWriterSettings s = new CsvWriterSettings();
            s.getFormat().setLineSeparator("\n");
            s.setNullValue("");
            s.setEmptyValue("\"\"");
            CsvWriter w = new CsvWriter(file, s);
            List<String> header = new ArrayList<>(e.columnNames());
            Integer omit = omittedColumn.get(key(e, day));
            if (omit != null) {
                header.remove((int) omit);
            }
            w.writeHeaders(header);
            return w;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Header-only files for entity-days without rows, then every marker. */
    @Override
    public void close() {
        for (Entity e : Entity.values()) {
            for (LocalDate d : days) {
                writers.computeIfAbsent(key(e, d), k -> open(e, d));
            }
        }
        writers.values().forEach(CsvWriter::close);
        try {
            for (Entity e : Entity.values()) {
                for (LocalDate d : days) {
                    Files.writeString(out.resolve(e.tableName()).resolve(d.toString()).resolve("_SUCCESS"), "");
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String key(Entity e, LocalDate d) {
        return e.tableName() + "/" + d;
    }
}
