package io.crmlake.generate;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;

import io.crmlake.schema.Entity;

/**
 * Writes a canonical landing zone (as the generator writes it, meant for the realistic profile)
 * as the flat export most shop systems deliver: {@code <out>/invoice_lines/<day>/invoice_lines.csv}
 * with a {@code _SUCCESS} marker for every day that has an orders folder, one row per order line:
 *
 * <pre>invoice_no,invoice_date,customer_id,country,product_code,description,quantity,unit_price</pre>
 *
 * invoice_no, invoice_date and customer_id are the order's id, order_ts and customer_id as
 * written (empty for a guest); country is the customer's from the latest customers row delivered
 * on or before the day (by updated_at, then file order; empty for a guest or an unknown customer);
 * product_code, quantity and unit_price are the line's as written; description is the product's
 * name from the latest products row delivered on or before the day (empty when none). Rows follow
 * the orders file, an order's lines by line_no. Orders without lines write nothing; lines whose
 * order is not in the day's orders file are left out. {@code _ground_truth/} is copied as is.
 * Re-assembled per invoice (total = Σ quantity × unit_price, cancelled when the number starts with
 * "C"), a realistic export gives back exactly its orders and lines.
 */
public final class InvoiceLineWriter {
    /** Folder of the flat export in {@code out}. */
    public static final String FOLDER = "invoice_lines";
    public static final List<String> HEADER = List.of(
            "invoice_no", "invoice_date", "customer_id", "country", "product_code", "description", "quantity", "unit_price");

    private static final List<DateTimeFormatter> TIMESTAMPS = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss"),
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"),
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'"));

    private InvoiceLineWriter() {}

    /** Converts every day of {@code canonicalLanding} that has an orders folder into {@code out}. */
    public static void convert(Path canonicalLanding, Path out) throws IOException {
        Path target = out.resolve(FOLDER);
        deleteTree(target);
        Files.createDirectories(target);
        List<LocalDate> days = dayFolders(canonicalLanding.resolve(Entity.ORDERS.tableName()));
        Latest customers = new Latest(canonicalLanding.resolve(Entity.CUSTOMERS.tableName()), "customer_id", "country");
        Latest products = new Latest(canonicalLanding.resolve(Entity.PRODUCTS.tableName()), "product_id", "name");
        for (LocalDate day : days) {
            customers.deliverUpTo(day);
            products.deliverUpTo(day);
            Path dir = target.resolve(day.toString());
            Files.createDirectories(dir);
            writeDay(canonicalLanding, day, customers, products, dir.resolve(FOLDER + ".csv"));
            Files.writeString(dir.resolve("_SUCCESS"), "");
        }
        // The ground truth describes the data, not its layout: copied as is.
        Path truth = canonicalLanding.resolve(GroundTruthWriter.FOLDER);
        if (Files.isDirectory(truth)) {
            Files.createDirectories(out.resolve(GroundTruthWriter.FOLDER));
            try (Stream<Path> files = Files.list(truth)) {
                for (Path f : files.sorted().toList()) {
                    Files.copy(f, out.resolve(GroundTruthWriter.FOLDER).resolve(f.getFileName().toString()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private record Order(String customerId, String orderTs) {}

    private record Line(String lineNo, String productId, String quantity, String unitPrice) {
        /** line_no as a number; one that is none sorts last. */
        long number() {
            try {
                return Long.parseLong(lineNo == null ? "" : lineNo.trim());
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
    }

    private static void writeDay(Path landing, LocalDate day, Latest customers, Latest products, Path file)
            throws IOException {
        Map<String, Order> orders = new LinkedHashMap<>();
        for (Path f : dataFiles(landing.resolve(Entity.ORDERS.tableName()).resolve(day.toString()))) {
            read(f, row -> {
                String id = row.get("order_id");
                if (id != null) {
                    orders.putIfAbsent(id, new Order(row.get("customer_id"), row.get("order_ts")));
                }
            });
        }
        Map<String, List<Line>> lines = new HashMap<>();
        Path itemsDir = landing.resolve(Entity.ORDER_ITEMS.tableName()).resolve(day.toString());
        for (Path f : dataFiles(itemsDir)) {
            read(f, row -> {
                String id = row.get("order_id");
                if (id != null && orders.containsKey(id)) {
                    lines.computeIfAbsent(id, k -> new ArrayList<>()).add(new Line(row.get("line_no"),
                            row.get("product_id"), row.get("quantity"), row.get("unit_price")));
                }
            });
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            CsvWriter writer = new CsvWriter(w, writerSettings());
            writer.writeHeaders(HEADER);
            for (Map.Entry<String, Order> e : orders.entrySet()) {
                List<Line> ofOrder = lines.get(e.getKey());
                if (ofOrder == null) {
                    continue;
                }
                Order o = e.getValue();
                String country = isBlank(o.customerId()) ? null : customers.value(o.customerId());
                for (Line l : ofOrder.stream().sorted(Comparator.comparingLong(Line::number)).toList()) {
                    writer.writeRow(e.getKey(), o.orderTs(), o.customerId(), country, l.productId(),
                            l.productId() == null ? null : products.value(l.productId()), l.quantity(), l.unitPrice());
                }
            }
            writer.close();
        }
    }

    /**
     * The latest delivered row per key of one entity (by updated_at, then file order: day, file
     * name, position), folded in day by day.
     */
    private static final class Latest {
        private final Path entityDir;
        private final String keyColumn;
        private final String valueColumn;
        private final List<LocalDate> days;
        private int next;
        private final Map<String, Version> latest = new HashMap<>();

        private record Version(LocalDateTime updatedAt, String value) {}

        Latest(Path entityDir, String keyColumn, String valueColumn) throws IOException {
            this.entityDir = entityDir;
            this.keyColumn = keyColumn;
            this.valueColumn = valueColumn;
            this.days = dayFolders(entityDir);
        }

        void deliverUpTo(LocalDate day) throws IOException {
            while (next < days.size() && !days.get(next).isAfter(day)) {
                for (Path f : dataFiles(entityDir.resolve(days.get(next).toString()))) {
                    read(f, row -> {
                        String key = row.get(keyColumn);
                        if (isBlank(key)) {
                            return;
                        }
                        Version v = new Version(timestamp(row.get("updated_at")), row.get(valueColumn));
                        latest.merge(key.trim(), v, (old, now) -> notOlder(now, old) ? now : old);
                    });
                }
                next++;
            }
        }

        /** A later row wins unless its updated_at is older (an unreadable one is the oldest). */
        private static boolean notOlder(Version now, Version old) {
            if (now.updatedAt() == null) {
                return old.updatedAt() == null;
            }
            return old.updatedAt() == null || !now.updatedAt().isBefore(old.updatedAt());
        }

        String value(String key) {
            Version v = latest.get(key.trim());
            return v == null ? null : v.value();
        }
    }

    private static LocalDateTime timestamp(String s) {
        if (s == null) {
            return null;
        }
        for (DateTimeFormatter f : TIMESTAMPS) {
            try {
                return LocalDateTime.parse(s.trim(), f);
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
        }
        return null;
    }

    /** The day folders of an entity (named yyyy-MM-dd), in date order; none when it has no folder. */
    private static List<LocalDate> dayFolders(Path entityDir) throws IOException {
        if (!Files.isDirectory(entityDir)) {
            return List.of();
        }
        List<LocalDate> days = new ArrayList<>();
        try (Stream<Path> list = Files.list(entityDir)) {
            for (Path p : list.filter(Files::isDirectory).toList()) {
                try {
                    days.add(LocalDate.parse(p.getFileName().toString()));
                } catch (DateTimeParseException ignored) {
                    // not a day folder
                }
            }
        }
        days.sort(null);
        return days;
    }

    /** The CSV files of a day folder that hold data, by name; markers and empty files left out. */
    private static List<Path> dataFiles(Path dayDir) throws IOException {
        if (!Files.isDirectory(dayDir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dayDir)) {
            List<Path> files = new ArrayList<>();
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && !name.startsWith("_") && !name.startsWith(".") && Files.size(p) > 0) {
                    files.add(p);
                }
            }
            return files;
        }
    }

    /** Each row of a file with a header, as column → value (null when empty or missing). */
    private static void read(Path file, Consumer<Map<String, String>> rows) {
        CsvParserSettings s = new CsvParserSettings();
        s.setHeaderExtractionEnabled(true);
        s.setMaxCharsPerColumn(-1);
        s.setIgnoreLeadingWhitespaces(false);
        s.setIgnoreTrailingWhitespaces(false);
        s.setLineSeparatorDetectionEnabled(true);
        CsvParser parser = new CsvParser(s);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            parser.beginParsing(r);
            String[] header = parser.getContext().headers();
            if (header == null) {
                return;
            }
            String[] row;
            while ((row = parser.parseNext()) != null) {
                Map<String, String> values = new HashMap<>();
                for (int i = 0; i < header.length; i++) {
                    values.put(header[i], i < row.length ? row[i] : null);
                }
                rows.accept(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            parser.stopParsing();
        }
    }

    private static CsvWriterSettings writerSettings() {
        CsvWriterSettings s = new CsvWriterSettings();
        s.getFormat().setLineSeparator("\n");
        s.setNullValue("");
        s.setEmptyValue("\"\"");
        s.setIgnoreLeadingWhitespaces(false);
        s.setIgnoreTrailingWhitespaces(false);
        return s;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
