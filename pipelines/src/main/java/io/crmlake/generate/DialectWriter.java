package io.crmlake.generate;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.sql.types.DataTypes;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;

import io.crmlake.config.SourceMapping;
import io.crmlake.schema.Entity;

/**
 * Rewrites a canonical landing zone in another CRM's dialect, by running a source mapping
 * backwards: folder and column names, value codes, and date and timestamp formats. With it the
 * generator's data can be delivered as, say, a Salesforce-style export, and a test can check that
 * crmlake reads both into the same silver tables. Values it cannot parse pass unchanged.
 */
public final class DialectWriter {
    private static final List<DateTimeFormatter> CANONICAL_DATES = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd"), DateTimeFormatter.ofPattern("MM/dd/yyyy"));
    private static final List<DateTimeFormatter> CANONICAL_TIMESTAMPS = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            // The realistic profile's ISO 8601 local time.
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss"));

    private final SourceMapping target;
    private final DateTimeFormatter dateOut;
    private final DateTimeFormatter timestampOut;

    public DialectWriter(SourceMapping target) {
        this.target = target;
        this.dateOut = DateTimeFormatter.ofPattern(target.dateFormats().get(0));
        this.timestampOut = DateTimeFormatter.ofPattern(target.timestampFormats().get(0));
    }

    /** Converts every entity and day folder of {@code canonical} into {@code out}. */
    public void convert(Path canonical, Path out) throws IOException {
        for (Entity e : Entity.values()) {
            Path entityDir = canonical.resolve(e.tableName());
            if (!Files.isDirectory(entityDir)) {
                continue;
            }
            try (Stream<Path> days = Files.list(entityDir)) {
                for (Path day : days.sorted().toList()) {
                    convertDay(e, day, out.resolve(target.entity(e).folder()).resolve(day.getFileName().toString()));
                }
            }
        }
        // The ground truth describes the data, not its dialect: copied as is.
        Path truth = canonical.resolve(GroundTruthWriter.FOLDER);
        if (Files.isDirectory(truth)) {
            Files.createDirectories(out.resolve(GroundTruthWriter.FOLDER));
            try (Stream<Path> files = Files.list(truth)) {
                for (Path f : files.toList()) {
                    Files.copy(f, out.resolve(GroundTruthWriter.FOLDER).resolve(f.getFileName().toString()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private void convertDay(Entity e, Path day, Path outDay) throws IOException {
        Files.createDirectories(outDay);
        try (Stream<Path> files = Files.list(day)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("_")) {
                    Files.copy(f, outDay.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } else if (Files.size(f) == 0) {
                    Files.write(outDay.resolve(name), new byte[0]);
                } else {
                    convertFile(e, f, outDay.resolve(name));
                }
            }
        }
    }

    private void convertFile(Entity e, Path in, Path out) throws IOException {
        CsvParserSettings ps = new CsvParserSettings();
        ps.setHeaderExtractionEnabled(true);
        ps.setNullValue("");
        ps.setMaxCharsPerColumn(-1);
        CsvWriterSettings ws = new CsvWriterSettings();
        ws.getFormat().setDelimiter(target.delimiter().charAt(0));
        ws.getFormat().setLineSeparator("\n");
        ws.setNullValue("");
        CsvParser parser = new CsvParser(ps);
        try (Reader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
             Writer w = Files.newBufferedWriter(out, Charset.forName(target.encoding()))) {
            parser.beginParsing(r);
            String[] header = parser.getContext().headers();
            CsvWriter writer = new CsvWriter(w, ws);
            List<String> outHeader = new ArrayList<>();
            for (String h : header) {
                outHeader.add(e.columnNames().contains(h) ? target.entity(e).sourceColumn(h) : h);
            }
            writer.writeHeaders(outHeader);
            String[] row;
            while ((row = parser.parseNext()) != null) {
                String[] converted = new String[header.length];
                for (int i = 0; i < header.length; i++) {
                    converted[i] = convertValue(e, header[i], i < row.length ? row[i] : null);
                }
                writer.writeRow((Object[]) converted);
            }
            writer.flush();
        }
    }

    private String convertValue(Entity e, String canonicalColumn, String value) {
        if (value == null || !e.columnNames().contains(canonicalColumn)) {
            return value;
        }
        Map<String, String> inverse = new HashMap<>();
        target.entity(e).valueCodes(canonicalColumn).forEach((source, canonical) -> inverse.put(canonical, source));
        if (inverse.containsKey(value.trim())) {
            return inverse.get(value.trim());
        }
        var type = e.columns().stream().filter(c -> c.name().equals(canonicalColumn)).findFirst().orElseThrow().type();
        if (type.equals(DataTypes.DateType)) {
            for (DateTimeFormatter f : CANONICAL_DATES) {
                try {
                    return LocalDate.parse(value.trim(), f).format(dateOut);
                } catch (DateTimeParseException ignored) {
                    // try the next format
                }
            }
        } else if (type.equals(DataTypes.TimestampType)) {
            for (DateTimeFormatter f : CANONICAL_TIMESTAMPS) {
                try {
                    return LocalDateTime.parse(value.trim(), f).atOffset(ZoneOffset.UTC).format(timestampOut);
                } catch (DateTimeParseException ignored) {
                    // try the next format
                }
            }
        }
        return value;
    }
}
