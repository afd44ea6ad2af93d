package io.crmlake.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;

import io.crmlake.generate.GeneratorOptions.Profile;
import io.crmlake.schema.Entity;

/**
 * The realistic profile and its flat invoice-line variant, read from the files alone (no Spark):
 * ISO local timestamps, products without category or name, same-time product versions, guest
 * checkouts and credit notes logged with the counts the files hold, totals that are the sum of
 * their lines, and invoice lines that re-assemble to exactly the seven-entity orders and lines.
 * Also: both profiles write the same bytes for the same options, and the default profile still
 * writes the shipped sample data.
 */
class RealisticProfileTest {
    private static final LocalDate FIRST = LocalDate.parse("2026-11-01");
    private static final int DAYS = 3;
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Set<String> REALISTIC_KINDS = Set.of("negative_quantity", "malformed_email", "mixed_case_email",
            "guest_order", "credit_note", "same_time_versions");

    @TempDir
    static Path tmp;
    private static Path landing;
    private static Path flat;

    @BeforeAll
    static void generate() throws IOException {
        landing = tmp.resolve("realistic");
        flat = tmp.resolve("flat");
        SampleGenerator.generate(realistic(landing));
        InvoiceLineWriter.convert(landing, flat);
    }

    private static GeneratorOptions realistic(Path out) {
        return new GeneratorOptions(150, DAYS, 5L, FIRST, out, Profile.REALISTIC, 60);
    }

    // --- the seven-entity files ---------------------------------------------------------------

    @Test
    void fiveArgumentOptionsAreTheDefaultProfileWithAYearOfHistory() {
        GeneratorOptions o = new GeneratorOptions(10, 2, 1L, FIRST, tmp);
        assertThat(o.profile()).isEqualTo(Profile.DEFAULT);
        assertThat(o.historyDays()).isEqualTo(365);
        assertThat(o.historyStart()).isEqualTo(FIRST.minusDays(365));
        assertThat(Profile.parse("Realistic")).isEqualTo(Profile.REALISTIC);
    }

    @Test
    void everyFileHasTheCanonicalHeaderAndEveryTimestampIsIsoLocal() throws IOException {
        for (Entity e : Entity.values()) {
            for (LocalDate d : days()) {
                Path dir = landing.resolve(e.tableName()).resolve(d.toString());
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                            .as(dir.toString()).containsExactly("_SUCCESS", e.tableName() + ".csv");
                }
                assertThat(read(dir.resolve(e.tableName() + ".csv")).header()).as(dir.toString())
                        .containsExactlyElementsOf(e.columnNames());
            }
        }
        Map<Entity, List<String>> timestamps = Map.of(Entity.CUSTOMERS, List.of("updated_at"),
                Entity.PRODUCTS, List.of("updated_at"), Entity.ORDERS, List.of("order_ts"),
                Entity.INTERACTIONS, List.of("event_ts"), Entity.TICKETS, List.of("created_ts"));
        Map<Entity, List<String>> dates = Map.of(Entity.CUSTOMERS, List.of("birth_date", "signup_date"),
                Entity.CAMPAIGNS, List.of("start_date", "end_date"));
        for (var e : timestamps.entrySet()) {
            for (String column : e.getValue()) {
                List<String> values = rows(e.getKey()).stream().map(r -> r.get(column)).toList();
                assertThat(values).as(e.getKey() + "." + column).isNotEmpty()
                        .allSatisfy(v -> assertThat(v).matches(TIMESTAMP));
            }
        }
        for (var e : dates.entrySet()) {
            for (String column : e.getValue()) {
                List<String> values = rows(e.getKey()).stream().map(r -> r.get(column)).toList();
                assertThat(values).as(e.getKey() + "." + column).isNotEmpty()
                        .allSatisfy(v -> assertThat(v).matches(DATE));
            }
        }
        // Phones in +international form only: phone_format is no dirt of this profile.
        assertThat(rows(Entity.CUSTOMERS)).allSatisfy(r -> assertThat(r.get("phone")).startsWith("+"));
        // Country codes, never names.
        assertThat(rows(Entity.CUSTOMERS)).allSatisfy(r -> assertThat(r.get("country")).matches("[A-Z]{2}"));
    }

    @Test
    void someProductsLackACategoryAndSomeAName() throws IOException {
        List<Row> catalog = rows(Entity.PRODUCTS).stream().filter(r -> r.day().equals(FIRST)).toList();
        long noCategory = catalog.stream().filter(r -> r.get("category").isEmpty()).count();
        long noName = catalog.stream().filter(r -> r.get("name").isEmpty()).count();
        assertThat(noCategory).isBetween(1L, catalog.size() * 30L / 100);
        assertThat(noName).isBetween(1L, catalog.size() * 15L / 100);
        // A product keeps its gaps in every version.
        Map<String, String> shape = new HashMap<>();
        for (Row r : rows(Entity.PRODUCTS)) {
            String s = r.get("name").isEmpty() + "/" + r.get("category").isEmpty();
            assertThat(shape.putIfAbsent(r.get("product_id"), s)).isIn(null, s);
        }
    }

    @Test
    void productVersionsWithEqualTimestampsAreLoggedPerExtraRow() throws IOException {
        Map<String, Long> found = new TreeMap<>();
        Map<String, List<Row>> byVersion = new LinkedHashMap<>();
        for (Row r : rows(Entity.PRODUCTS)) {
            byVersion.computeIfAbsent(r.day() + "|" + r.get("product_id") + "|" + r.get("updated_at"), k -> new ArrayList<>()).add(r);
        }
        for (List<Row> same : byVersion.values()) {
            if (same.size() > 1) {
                assertThat(same.stream().map(r -> r.get("unit_price")).distinct().count()).isEqualTo(same.size());
                found.merge(same.get(0).day().toString(), same.size() - 1L, Long::sum);
            }
        }
        assertThat(found).isNotEmpty();
        assertThat(found).doesNotContainKey(FIRST.toString());
        assertThat(found).isEqualTo(dirt("same_time_versions", "products"));
    }

    @Test
    void guestOrdersAndCreditNotesExistAndAreLoggedWithTheCountsInTheFiles() throws IOException {
        Map<String, Long> guests = new TreeMap<>();
        Map<String, Long> credits = new TreeMap<>();
        Map<String, Row> orders = new HashMap<>();
        for (Row r : rows(Entity.ORDERS)) {
            assertThat(orders.put(r.get("order_id"), r)).as("order ids are unique").isNull();
            if (r.get("order_id").startsWith("C")) {
                credits.merge(r.day().toString(), 1L, Long::sum);
            } else if (r.get("customer_id").isEmpty()) {
                guests.merge(r.day().toString(), 1L, Long::sum);
            }
        }
        assertThat(guests).isNotEmpty().isEqualTo(dirt("guest_order", "orders"));
        assertThat(credits).isNotEmpty().isEqualTo(dirt("credit_note", "orders"));
        long all = orders.size();
        long guestCount = guests.values().stream().mapToLong(Long::longValue).sum();
        assertThat(guestCount).isLessThan(all / 4);

        // A credit note follows its order by 1 to 10 days, for the same customer, giving lines back.
        Map<String, List<Row>> lines = linesByOrder();
        for (Row credit : orders.values()) {
            if (!credit.get("order_id").startsWith("C")) {
                continue;
            }
            Row original = orders.get(credit.get("order_id").substring(1));
            assertThat(original).as(credit.get("order_id")).isNotNull();
            assertThat(credit.get("customer_id")).isEqualTo(original.get("customer_id"));
            long days = ChronoUnit.DAYS.between(LocalDateTime.parse(original.get("order_ts")).toLocalDate(),
                    LocalDateTime.parse(credit.get("order_ts")).toLocalDate());
            assertThat(days).isBetween(1L, 10L);
            Map<String, Row> sold = new HashMap<>();
            for (Row l : lines.get(original.get("order_id"))) {
                sold.put(l.get("product_id"), l);
            }
            List<Row> back = lines.get(credit.get("order_id"));
            assertThat(back).isNotEmpty();
            for (int i = 0; i < back.size(); i++) {
                Row l = back.get(i);
                assertThat(l.get("line_no")).isEqualTo(String.valueOf(i + 1));
                Row s = sold.get(l.get("product_id"));
                assertThat(s).as("a credit line gives back a product of the order").isNotNull();
                assertThat(l.get("unit_price")).isEqualTo(s.get("unit_price"));
                assertThat(Integer.parseInt(l.get("quantity"))).isBetween(-Integer.parseInt(s.get("quantity")), -1);
            }
        }
    }

    @Test
    void totalsAreTheSumOfTheLinesAndOnlyCreditNotesAreCancelled() throws IOException {
        Map<String, List<Row>> lines = linesByOrder();
        List<Row> orders = rows(Entity.ORDERS);
        assertThat(lines.keySet()).containsExactlyInAnyOrderElementsOf(orders.stream().map(r -> r.get("order_id")).toList());
        for (Row o : orders) {
            List<Row> ofOrder = lines.get(o.get("order_id"));
            assertThat(ofOrder).allSatisfy(l -> assertThat(l.day()).isEqualTo(o.day()));
            assertThat(o.get("total_amount")).as(o.get("order_id")).isEqualTo(sum(ofOrder).toPlainString());
            assertThat(o.get("currency")).isEqualTo("USD");
            assertThat(o.get("channel")).isIn("store", "app", "phone", "web");
            BigDecimal total = new BigDecimal(o.get("total_amount"));
            if (o.get("order_id").startsWith("C")) {
                assertThat(o.get("status")).isEqualTo("cancelled");
                assertThat(total.signum()).isNegative();
                assertThat(ofOrder).allSatisfy(l -> assertThat(Integer.parseInt(l.get("quantity"))).isNegative());
            } else {
                assertThat(o.get("status")).isEqualTo("completed");
                assertThat(total.signum()).isPositive();
            }
        }
        assertThat(rows(Entity.ORDER_ITEMS)).allSatisfy(l -> assertThat(l.get("discount")).isEmpty());
    }

    @Test
    void onlyTheRealisticKindsOfDirtArePlantedAndNegativeQuantitiesAreCounted() throws IOException {
        Map<String, Map<String, Long>> all = dirtLog();
        assertThat(REALISTIC_KINDS).containsAll(all.keySet().stream().map(k -> k.split(",")[0]).toList());
        Map<String, Row> orders = new HashMap<>();
        rows(Entity.ORDERS).forEach(o -> orders.put(o.get("order_id"), o));
        Map<String, List<Row>> lines = linesByOrder();
        Map<String, Long> negative = new TreeMap<>();
        for (Row l : rows(Entity.ORDER_ITEMS)) {
            if (l.get("order_id").startsWith("C") || Integer.parseInt(l.get("quantity")) > 0) {
                continue;
            }
            Row o = orders.get(l.get("order_id"));
            assertThat(o.get("customer_id")).as("negative quantities only on customers' orders").isNotEmpty();
            assertThat(lines.get(l.get("order_id"))).hasSizeGreaterThanOrEqualTo(2);
            negative.merge(l.day().toString(), 1L, Long::sum);
        }
        assertThat(negative).isEqualTo(dirt("negative_quantity", "order_items"));
        // No exact duplicates in any file, one row per key of each file.
        for (Entity e : Entity.values()) {
            Set<String> seen = new HashSet<>();
            for (Row r : rows(e)) {
                String key = r.day() + "|" + e.keys().stream().map(r::get).toList();
                if (e == Entity.PRODUCTS) {
                    key += "|" + r.get("updated_at") + "|" + r.get("unit_price");
                }
                assertThat(seen.add(key)).as(e + " " + key).isTrue();
            }
        }
        // Every order's customer is delivered on or before the order's day: no orphans.
        Map<String, LocalDate> firstSeen = new HashMap<>();
        rows(Entity.CUSTOMERS).forEach(c -> firstSeen.putIfAbsent(c.get("customer_id"), c.day()));
        for (Row o : orders.values()) {
            if (!o.get("customer_id").isEmpty()) {
                assertThat(firstSeen.get(o.get("customer_id"))).as(o.get("order_id")).isNotNull()
                        .isBeforeOrEqualTo(o.day());
            }
        }
        Set<String> products = new HashSet<>();
        rows(Entity.PRODUCTS).forEach(p -> products.add(p.get("product_id")));
        assertThat(rows(Entity.ORDER_ITEMS)).allSatisfy(l -> assertThat(products).contains(l.get("product_id")));
    }

    // --- the flat variant ---------------------------------------------------------------------

    @Test
    void invoiceLinesReassembleToExactlyTheOrdersAndLines() throws IOException {
        Map<String, String> countryOf = new HashMap<>();
        rows(Entity.CUSTOMERS).forEach(c -> countryOf.put(c.get("customer_id"), c.get("country")));
        Map<String, String> nameOf = new HashMap<>();
        rows(Entity.PRODUCTS).forEach(p -> nameOf.put(p.get("product_id"), p.get("name")));
        try (Stream<Path> dayDirs = Files.list(flat.resolve(InvoiceLineWriter.FOLDER))) {
            assertThat(dayDirs.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(days().stream().map(LocalDate::toString).toList());
        }
        int invoices = 0;
        for (LocalDate day : days()) {
            Path dir = flat.resolve(InvoiceLineWriter.FOLDER).resolve(day.toString());
            assertThat(dir.resolve("_SUCCESS")).exists();
            Csv file = read(dir.resolve("invoice_lines.csv"));
            assertThat(file.header()).containsExactly("invoice_no", "invoice_date", "customer_id", "country",
                    "product_code", "description", "quantity", "unit_price");
            String text = Files.readString(dir.resolve("invoice_lines.csv"), StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("\r").endsWith("\n");

            // Re-assembled invoices, in the order they come.
            Map<String, List<Row>> byInvoice = new LinkedHashMap<>();
            for (Row r : file.rows(day)) {
                byInvoice.computeIfAbsent(r.get("invoice_no"), k -> new ArrayList<>()).add(r);
                String customer = r.get("customer_id");
                assertThat(r.get("country")).isEqualTo(customer.isEmpty() ? "" : countryOf.get(customer));
                assertThat(r.get("description")).isEqualTo(nameOf.get(r.get("product_code")));
            }
            List<String> reassembledOrders = new ArrayList<>();
            List<String> reassembledLines = new ArrayList<>();
            for (var e : byInvoice.entrySet()) {
                List<Row> ls = e.getValue();
                Row first = ls.get(0);
                assertThat(ls).allSatisfy(l -> {
                    assertThat(l.get("invoice_date")).isEqualTo(first.get("invoice_date"));
                    assertThat(l.get("customer_id")).isEqualTo(first.get("customer_id"));
                });
                BigDecimal total = BigDecimal.ZERO;
                for (int i = 0; i < ls.size(); i++) {
                    Row l = ls.get(i);
                    total = total.add(new BigDecimal(l.get("quantity")).multiply(new BigDecimal(l.get("unit_price"))));
                    reassembledLines.add(String.join("|", e.getKey(), String.valueOf(i + 1), l.get("product_code"),
                            l.get("quantity"), l.get("unit_price")));
                }
                reassembledOrders.add(String.join("|", e.getKey(), first.get("customer_id"), first.get("invoice_date"),
                        total.setScale(2, RoundingMode.HALF_UP).toPlainString(),
                        e.getKey().startsWith("C") ? "cancelled" : "completed"));
            }
            List<String> orders = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            Map<String, List<Row>> linesOfDay = new HashMap<>();
            rows(Entity.ORDER_ITEMS).stream().filter(l -> l.day().equals(day))
                    .forEach(l -> linesOfDay.computeIfAbsent(l.get("order_id"), k -> new ArrayList<>()).add(l));
            for (Row o : rows(Entity.ORDERS)) {
                if (!o.day().equals(day)) {
                    continue;
                }
                orders.add(String.join("|", o.get("order_id"), o.get("customer_id"), o.get("order_ts"),
                        o.get("total_amount"), o.get("status")));
                List<Row> ls = new ArrayList<>(linesOfDay.get(o.get("order_id")));
                ls.sort(java.util.Comparator.comparingInt(l -> Integer.parseInt(l.get("line_no"))));
                for (Row l : ls) {
                    lines.add(String.join("|", o.get("order_id"), l.get("line_no"), l.get("product_id"),
                            l.get("quantity"), l.get("unit_price")));
                }
            }
            assertThat(reassembledOrders).as("orders of " + day).isNotEmpty().containsExactlyElementsOf(orders);
            assertThat(reassembledLines).as("lines of " + day).containsExactlyElementsOf(lines);
            invoices += reassembledOrders.size();
        }
        assertThat(invoices).isEqualTo(rows(Entity.ORDERS).size());
        // The ground truth travels with the data.
        assertThat(tree(flat.resolve(GroundTruthWriter.FOLDER))).isEqualTo(tree(landing.resolve(GroundTruthWriter.FOLDER)));
    }

    @Test
    void invoiceLinesTakeTheLatestCustomerAndProductVersionDeliveredUpToTheDay() throws IOException {
        Path dir = tmp.resolve("versions");
        write(dir, "customers/2026-11-01", "customers.csv", String.join(",", Entity.CUSTOMERS.columnNames()),
                "C1,,,,,,,,DE,2020-01-01,true,2026-10-01T10:00:00",
                "C1,,,,,,,,FR,2020-01-01,true,2026-10-01T09:00:00");
        write(dir, "customers/2026-11-02", "customers.csv", String.join(",", Entity.CUSTOMERS.columnNames()),
                "C1,,,,,,,,IT,2020-01-01,true,2026-11-02T08:00:00");
        write(dir, "products/2026-11-01", "products.csv", String.join(",", Entity.PRODUCTS.columnNames()),
                "P1,Lamp v1,,,1.00,2026-10-01T10:00:00",
                "P1,\"Lamp, large\",,,1.00,2026-10-01T10:00:00");
        write(dir, "orders/2026-11-01", "orders.csv", String.join(",", Entity.ORDERS.columnNames()),
                "O2,C1,2026-11-01T10:00:00,web,completed,USD,1.00",
                "O1,,2026-11-01T11:00:00,web,completed,USD,3.00",
                "O3,C1,2026-11-01T12:00:00,web,completed,USD,0.00");
        write(dir, "order_items/2026-11-01", "order_items.csv", String.join(",", Entity.ORDER_ITEMS.columnNames()),
                "O1,2,P1,2,1.00,", "O1,1,P1,1,1.00,", "O2,1,P9,1,1.00,", "O9,1,P1,1,1.00,");
        write(dir, "orders/2026-11-02", "orders.csv", String.join(",", Entity.ORDERS.columnNames()),
                "O4,C1,2026-11-02T10:00:00,web,completed,USD,1.00");
        write(dir, "order_items/2026-11-02", "order_items.csv", String.join(",", Entity.ORDER_ITEMS.columnNames()),
                "O4,1,P1,1,1.00,");
        Path out = tmp.resolve("versions-flat");
        InvoiceLineWriter.convert(dir, out);
        assertThat(Files.readString(out.resolve("invoice_lines/2026-11-01/invoice_lines.csv"))).isEqualTo("""
                invoice_no,invoice_date,customer_id,country,product_code,description,quantity,unit_price
                O2,2026-11-01T10:00:00,C1,DE,P9,,1,1.00
                O1,2026-11-01T11:00:00,,,P1,"Lamp, large",1,1.00
                O1,2026-11-01T11:00:00,,,P1,"Lamp, large",2,1.00
                """);
        assertThat(Files.readString(out.resolve("invoice_lines/2026-11-02/invoice_lines.csv"))).isEqualTo("""
                invoice_no,invoice_date,customer_id,country,product_code,description,quantity,unit_price
                O4,2026-11-02T10:00:00,C1,IT,P1,"Lamp, large",1,1.00
                """);
        assertThat(out.resolve("invoice_lines/2026-11-02/_SUCCESS")).exists();
    }

    // --- determinism and the default profile --------------------------------------------------

    @Test
    void sameOptionsSameBytesInBothProfiles() throws IOException {
        GeneratorOptions a = new GeneratorOptions(300, 2, 7L, FIRST, tmp.resolve("default-a"));
        GeneratorOptions b = new GeneratorOptions(300, 2, 7L, FIRST, tmp.resolve("default-b"));
        SampleGenerator.generate(a);
        SampleGenerator.generate(b);
        assertThat(tree(a.out())).isNotEmpty().isEqualTo(tree(b.out()));

        Path again = tmp.resolve("realistic-again");
        SampleGenerator.generate(realistic(again));
        assertThat(tree(again)).isNotEmpty().isEqualTo(tree(landing));
        Path flatAgain = tmp.resolve("flat-again");
        InvoiceLineWriter.convert(again, flatAgain);
        assertThat(tree(flatAgain)).isNotEmpty().isEqualTo(tree(flat));
        // The profile changes the data.
        assertThat(tree(landing)).isNotEqualTo(tree(tmp.resolve("default-a")));
    }

    @Test
    void aShortHistoryWritesWithoutFailingInBothProfiles() throws IOException {
        for (Profile profile : Profile.values()) {
            for (int history : new int[] {1, 30}) {
                Path out = tmp.resolve("short-" + profile + "-" + history);
                GenerationSummary summary = SampleGenerator.generate(
                        new GeneratorOptions(300, 3, 9L, FIRST, out, profile, history));
                assertThat(summary.rowsPerEntityDay()).containsKey("orders/" + FIRST);
                // Nothing in the full export is dated after it.
                for (Row c : rows(out, Entity.CUSTOMERS)) {
                    if (c.day().equals(FIRST)) {
                        assertThat(c.get("updated_at").substring(0, 10)).isLessThanOrEqualTo(FIRST.toString());
                    }
                }
            }
        }
    }

    /** The shipped sample data was written by {@code generate --customers 2000 --days 4 --seed 42}. */
    @Test
    void theDefaultProfileStillWritesTheShippedSampleData() throws IOException {
        Path shipped = Stream.of(Path.of("sample-data"), Path.of("..", "sample-data"))
                .filter(p -> Files.isDirectory(p.resolve("orders"))).findFirst().orElse(null);
        Assumptions.assumeTrue(shipped != null, "sample-data/ not found beside the module");
        Path out = tmp.resolve("sample");
        SampleGenerator.generate(new GeneratorOptions(2000, 4, 42L, FIRST, out));
        Map<String, String> written = tree(out);
        Map<String, String> expected = tree(shipped);
        written.keySet().removeIf(k -> k.startsWith(GroundTruthWriter.FOLDER + "/"));
        expected.keySet().removeIf(k -> k.startsWith(GroundTruthWriter.FOLDER + "/"));
        assertThat(written.keySet()).containsExactlyElementsOf(expected.keySet());
        assertThat(written).isEqualTo(expected);
    }

    // --- helpers ------------------------------------------------------------------------------

    private record Row(LocalDate day, Map<String, String> values) {
        /** The value, "" when empty. */
        String get(String column) {
            assertThat(values).containsKey(column);
            String v = values.get(column);
            return v == null ? "" : v;
        }
    }

    private record Csv(List<String> header, List<String[]> records) {
        List<Row> rows(LocalDate day) {
            List<Row> out = new ArrayList<>();
            for (String[] r : records) {
                Map<String, String> values = new HashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    values.put(header.get(i), i < r.length ? r[i] : null);
                }
                out.add(new Row(day, values));
            }
            return out;
        }
    }

    private static final Map<String, List<Row>> CACHE = new HashMap<>();

    private static List<LocalDate> days() {
        return List.of(FIRST, FIRST.plusDays(1), FIRST.plusDays(2));
    }

    private static List<Row> rows(Entity e) throws IOException {
        List<Row> cached = CACHE.get(e.tableName());
        if (cached == null) {
            cached = rows(landing, e);
            CACHE.put(e.tableName(), cached);
        }
        return cached;
    }

    /** Every row of the entity, day by day, file by file. */
    private static List<Row> rows(Path root, Entity e) throws IOException {
        List<Row> out = new ArrayList<>();
        Path dir = root.resolve(e.tableName());
        try (Stream<Path> dayDirs = Files.list(dir)) {
            for (Path day : dayDirs.sorted().toList()) {
                try (Stream<Path> files = Files.list(day)) {
                    for (Path f : files.sorted().toList()) {
                        if (!f.getFileName().toString().startsWith("_") && Files.size(f) > 0) {
                            out.addAll(read(f).rows(LocalDate.parse(day.getFileName().toString())));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, List<Row>> linesByOrder() throws IOException {
        Map<String, List<Row>> lines = new HashMap<>();
        for (Row l : rows(Entity.ORDER_ITEMS)) {
            lines.computeIfAbsent(l.get("order_id"), k -> new ArrayList<>()).add(l);
        }
        return lines;
    }

    private static BigDecimal sum(List<Row> lines) {
        BigDecimal total = BigDecimal.ZERO;
        for (Row l : lines) {
            total = total.add(new BigDecimal(l.get("quantity")).multiply(new BigDecimal(l.get("unit_price"))));
        }
        return total.setScale(2, RoundingMode.HALF_UP);
    }

    private static Csv read(Path file) throws IOException {
        CsvParserSettings s = new CsvParserSettings();
        s.setHeaderExtractionEnabled(true);
        s.setMaxCharsPerColumn(-1);
        CsvParser parser = new CsvParser(s);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String[]> records = parser.parseAll(r);
            return new Csv(Arrays.asList(parser.getContext().headers()), records);
        }
    }

    /** "kind,entity" → day → count, from the dirt log. */
    private static Map<String, Map<String, Long>> dirtLog() throws IOException {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        List<String> lines = Files.readAllLines(landing.resolve(GroundTruthWriter.FOLDER).resolve("dirt.csv"));
        assertThat(lines.get(0)).isEqualTo("kind,entity,batch_date,count");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            out.computeIfAbsent(f[0] + "," + f[1], k -> new TreeMap<>()).put(f[2], Long.parseLong(f[3]));
        }
        return out;
    }

    private static Map<String, Long> dirt(String kind, String entity) throws IOException {
        return dirtLog().getOrDefault(kind + "," + entity, Map.of());
    }

    /** Relative path → content (as ISO-8859-1, one char per byte) of every file under root. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'),
                        new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    private static void write(Path root, String folder, String file, String... lines) throws IOException {
        Path dir = root.resolve(folder);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), String.join("\n", lines) + "\n");
        Files.writeString(dir.resolve("_SUCCESS"), "");
    }
}
