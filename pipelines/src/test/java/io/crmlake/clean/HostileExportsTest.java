package io.crmlake.clean;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.crmlake.config.SourceMapping;
import io.crmlake.ingest.ExtraColumns;
import io.crmlake.ingest.IngestBatch;
import io.crmlake.ingest.IngestError;
import io.crmlake.ingest.LandedFileReader;
import io.crmlake.ingest.LandingZone;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;
import io.crmlake.testing.Landing;
import io.crmlake.testing.Folders;
import io.crmlake.testing.SharedSpark;

/**
 * The hostile-export corpus (src/test/resources/hostile, described in its README.md) through a
 * real ingest and clean: every delivered row ends where expected.csv says (accepted with its
 * warnings, quarantined under its rule, or dropped as an exact duplicate), values survive byte
 * for byte, the reconciliation invariant holds, files that cannot be ingested stop the day before
 * anything is written, and delivering the same day again changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileExportsTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-01");
    private static final LocalDate NEXT = LocalDate.parse("2026-11-02");
    /** The size of the ticket text written by the test rather than committed. */
    private static final int HUGE_TEXT = 10 * 1024 * 1024;
    private static final SourceMapping CANONICAL = SourceMapping.load("canonical");

    private static Path corpus;
    private static Path landing;
    private static Lakehouse lakehouse;
    private static Map<Entity, Reconciliation> cleaned;
    private static final List<String> ingestProgress = new ArrayList<>();

    /** One line of expected.csv: what happens to one delivered row. */
    private record Expected(String entity, String key, String outcome, String detail) {}

    @BeforeAll
    static void ingestAndCleanTheCorpus() throws IOException, URISyntaxException {
        corpus = Path.of(HostileExportsTest.class.getResource("/hostile").toURI());
        Path dir = SharedSpark.tempDir("hostile");
        landing = dir.resolve("landing");
        Folders.copy(corpus.resolve("landing"), landing);
        // 10 MB are not worth a place in the repository: the file is written here.
        Files.writeString(landing.resolve("tickets/" + DAY + "/tickets_huge.csv"),
                "ticket_id,customer_id,created_ts,channel,category,priority,status,satisfaction,text\n"
                        + "T-HUGE,H-OK,2026-10-31 10:00:00,email,complaint,low,open,,\"" + "x".repeat(HUGE_TEXT) + "\"\n",
                StandardCharsets.UTF_8);
        lakehouse = new Lakehouse(SharedSpark.get(), dir.resolve("warehouse").toString());
        ingest(DAY, ExtraColumns.KEEP, ingestProgress::add);
        cleaned = byEntity(clean(DAY));
    }

    @Test
    @Order(1)
    void everyDeliveredRowHasItsDocumentedOutcome() throws IOException {
        Map<String, List<Expected>> expected = expected().stream().collect(Collectors.groupingBy(Expected::entity));
        for (Entity e : Entity.values()) {
            List<Expected> rows = expected.getOrDefault(e.tableName(), List.of());
            Reconciliation r = cleaned.get(e);
            assertThat(r.landed()).as(e.tableName() + ": every delivered row is listed in expected.csv").isEqualTo(rows.size());
            assertThat(r.holds()).as(e.tableName() + ": " + r.describe()).isTrue();

            assertThat(accepted(e)).as(e.tableName() + " accepted (key = warnings)").containsExactlyInAnyOrderElementsOf(
                    outcomes(rows, "accepted"));
            assertThat(quarantined(e)).as(e.tableName() + " quarantined (key = rule)").containsExactlyInAnyOrderElementsOf(
                    outcomes(rows, "quarantined"));
            assertThat(r.duplicates()).as(e.tableName() + " exact duplicates")
                    .isEqualTo(rows.stream().filter(x -> x.outcome().equals("duplicate")).count());
        }
        List<Row> reconciliation = lakehouse.read(Table.DQ_RESULTS)
                .where(col("rule").equalTo("reconciliation").and(col("batch_date").equalTo(lit(java.sql.Date.valueOf(DAY)))))
                .collectAsList();
        assertThat(reconciliation).hasSize(Entity.values().length).allMatch(row -> row.<Long>getAs("failed_rows") == 0L);
    }

    @Test
    @Order(2)
    void acceptedValuesSurviveAsDelivered() {
        Map<String, Row> customers = byKey(lakehouse.read(Table.silver(Entity.CUSTOMERS)), "customer_id");
        assertThat(customers.get("H-NEWLINE").<String>getAs("city")).isEqualTo("New\nYork");
        assertThat(customers.get("H-QUOTES").<String>getAs("last_name")).isEqualTo("O\"Brien, Jr.");
        assertThat(customers.get("H-SQL").<String>getAs("first_name")).isEqualTo("Robert'); DROP TABLE silver.customers;--");
        Row formula = customers.get("H-FORMULA");
        assertThat(List.of(formula.<String>getAs("first_name"), formula.<String>getAs("last_name"), formula.<String>getAs("city")))
                .containsExactly("=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "@SUM(A1:A9)");
        assertThat(customers.get("H-LONG").<String>getAs("first_name")).hasSize(1000);
        assertThat(customers.get("H-ZH").<String>getAs("last_name") + customers.get("H-ZH").<String>getAs("city")).isEqualTo("王北京");
        assertThat(customers.get("H-AR").<String>getAs("first_name")).isEqualTo("محمد");
        assertThat(customers.get("H-EMOJI").<String>getAs("first_name")).isEqualTo("Zoë 🎉");
        assertThat(customers.get("H-OLD-BIRTH").<Object>getAs("birth_date")).as("before 1900: null").isNull();
        assertThat(customers.get("H-DRIFT").<Object>getAs("phone")).as("delivered as telephone").isNull();
        assertThat(customers.get("H-OK").<String>getAs("email")).as("the byte-order mark did not hide the header")
                .isEqualTo("h-ok@example.com");

        Row drift = lakehouse.read(Table.bronze(Entity.CUSTOMERS)).where(col("customer_id").equalTo("H-DRIFT")).first();
        assertThat(drift.<String>getAs(Lineage.RESCUED)).isEqualTo("{\"telephone\":\"+1 617 555 0100\",\"loyalty_tier\":\"gold\"}");
        assertThat(ingestProgress).anyMatch(l -> l.contains("customers_drift.csv lacks optional column(s) [phone]"))
                .anyMatch(l -> l.contains("customers_drift.csv has column(s) [telephone, loyalty_tier]"))
                .anyMatch(l -> l.startsWith("tickets") && l.contains("1 empty"));

        Map<String, Row> products = byKey(lakehouse.read(Table.silver(Entity.PRODUCTS)), "product_id");
        assertThat(products.get("P-FORMULA").<String>getAs("name")).isEqualTo("=1+1");
        assertThat(products.get("P-JSON").<java.math.BigDecimal>getAs("unit_price")).isEqualByComparingTo("20.50");
        assertThat(lakehouse.read(Table.QUARANTINE).where(col("rule").equalTo("malformed_json")).first().<String>getAs("raw"))
                .contains("P-JSON-CUT");
        Map<String, Row> tickets = byKey(lakehouse.read(Table.silver(Entity.TICKETS)), "ticket_id");
        assertThat(tickets.get("T-HUGE").<String>getAs("text")).hasSize(HUGE_TEXT);
        assertThat(tickets.get("T-OK").<String>getAs("text")).isEqualTo("Thanks, \"great\" service\nsecond line");

        Map<String, String> raw = lakehouse.read(Table.QUARANTINE).where(col("entity").equalTo("customers"))
                .select(concat_ws(":", col("rule"), keyOf(Entity.CUSTOMERS, "raw")), col("raw")).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1), (a, b) -> a));
        assertThat(raw.get("malformed_quotes:H-UNBALANCED")).as("the swallowed line is kept in the raw record")
                .contains("H-SWALLOWED");
        assertThat(raw.get("wrong_field_count:H-TOO-MANY")).contains(Lineage.MALFORMED).contains("surplus");
        assertThat(raw.get("invalid_encoding:H-LATIN1")).contains("\uFFFD");
    }

    @Test
    @Order(3)
    void aFileWithoutARequiredColumnStopsTheDayBeforeAnythingIsWritten() throws IOException {
        Map<Entity, Long> versions = bronzeVersions();
        Landing next = new Landing(landing);
        next.raw("customers", NEXT, "customers.csv", Files.readString(corpus.resolve("missing-column/customers.csv")));
        next.raw("orders", NEXT, "orders.csv", Files.readString(corpus.resolve("renamed-key/orders.csv")));
        next.emptyDay(NEXT);
        assertThatThrownBy(() -> ingest(NEXT, ExtraColumns.KEEP, s -> { }))
                .isInstanceOf(IngestError.class)
                .hasMessageContaining("customers/" + NEXT + "/customers.csv: required column 'updated_at' is missing")
                .hasMessageContaining("Nothing was ingested for this day")
                .hasMessageContaining("run ingest again");
        assertThat(bronzeVersions()).as("no bronze table was written").isEqualTo(versions);

        // With customers fixed, the renamed key of orders is the next file that stops the day.
        next.csv(Entity.CUSTOMERS, NEXT, "customers.csv");
        assertThatThrownBy(() -> ingest(NEXT, ExtraColumns.KEEP, s -> { }))
                .isInstanceOf(IngestError.class)
                .hasMessageContaining("orders.csv: required column 'order_id' is missing; the header has [order_ref,");
        assertThat(bronzeVersions()).isEqualTo(versions);
    }

    @Test
    @Order(4)
    void extraColumnsAreKeptIgnoredOrRefusedAsConfigured() {
        LandingZone.LandedFile drift = new LandingZone.LandedFile(
                landing.resolve("customers/" + DAY + "/customers_drift.csv").toString(), "csv", 1);
        LandedFileReader.Delivered ignored = new LandedFileReader(lakehouse.spark(), CANONICAL, ExtraColumns.IGNORE)
                .read(Entity.CUSTOMERS, drift);
        assertThat(ignored.extraColumns()).containsExactly("telephone", "loyalty_tier");
        assertThat(ignored.rows().first().<Object>getAs(Lineage.RESCUED)).isNull();
        assertThatThrownBy(() -> new LandedFileReader(lakehouse.spark(), CANONICAL, ExtraColumns.FAIL)
                .read(Entity.CUSTOMERS, drift))
                .isInstanceOf(IngestError.class)
                .hasMessageContaining("customers_drift.csv: column(s) [telephone, loyalty_tier] are not in the source mapping")
                .hasMessageContaining("crmlake.ingest.extra-columns=keep");
    }

    @Test
    @Order(5)
    void theSameDayDeliveredTwiceGivesTheSameTables() {
        Map<String, List<String>> before = contentOfTheDay();
        long bronzeRows = lakehouse.read(Table.bronze(Entity.CUSTOMERS)).count();
        ingest(DAY, ExtraColumns.KEEP, s -> { });
        Map<Entity, Reconciliation> again = byEntity(clean(DAY));
        assertThat(again.values()).allMatch(Reconciliation::holds);
        assertThat(again.values()).allMatch(r -> r.inserted() == 0 && r.updated() == 0);
        assertThat(lakehouse.read(Table.bronze(Entity.CUSTOMERS)).count()).isEqualTo(bronzeRows);
        assertThat(contentOfTheDay()).isEqualTo(before);
    }

    // --- the corpus through the pipeline

    private static void ingest(LocalDate day, ExtraColumns extra, java.util.function.Consumer<String> progress) {
        new IngestBatch(lakehouse, new LandingZone(landing.toString(), lakehouse.spark().sparkContext().hadoopConfiguration(),
                CANONICAL, "_SUCCESS"), CANONICAL, false, false, extra).run(day, "hostile-ingest", progress);
    }

    private static List<Reconciliation> clean(LocalDate day) {
        Map<Entity, Double> gate = new EnumMap<>(Entity.class);
        for (Entity e : Entity.values()) {
            gate.put(e, 1.0); // the corpus is mostly broken on purpose
        }
        return new CleanBatch(lakehouse, CANONICAL, new CleanBatch.Params("US", gate)).run(day, "hostile-clean", s -> { });
    }

    // --- what the tables say

    /** "key = warnings" of the entity's silver rows. */
    private static List<String> accepted(Entity e) {
        return lakehouse.read(Table.silver(e))
                .select(keyOf(e, null).as("k"), concat_ws(";", col("_warnings")).as("w"))
                .collectAsList().stream().map(r -> r.getString(0) + " = " + r.getString(1)).toList();
    }

    /** "key = rule" of the entity's quarantined rows. */
    private static List<String> quarantined(Entity e) {
        return lakehouse.read(Table.QUARANTINE).where(col("entity").equalTo(e.tableName()))
                .select(keyOf(e, "raw").as("k"), col("rule"))
                .collectAsList().stream().map(r -> r.getString(0) + " = " + r.getString(1)).toList();
    }

    /** The row's key, trimmed, "" when blank; read from the raw JSON when {@code json} is given. */
    private static Column keyOf(Entity e, String json) {
        List<Column> parts = new ArrayList<>();
        for (String k : e.keys()) {
            Column v = json == null ? col(k).cast("string") : get_json_object(col(json), "$." + k);
            parts.add(coalesce(trim(v), lit("")));
        }
        return concat_ws("/", parts.toArray(Column[]::new));
    }

    private static List<String> outcomes(List<Expected> rows, String outcome) {
        return rows.stream().filter(x -> x.outcome().equals(outcome))
                .map(x -> x.key() + " = " + x.detail()).toList();
    }

    private static Map<String, Row> byKey(Dataset<Row> rows, String key) {
        return rows.collectAsList().stream().collect(Collectors.toMap(r -> r.<String>getAs(key), r -> r));
    }

    /** Every silver table, the quarantine and the day's rule counts, without run ids, sorted. */
    private static Map<String, List<String>> contentOfTheDay() {
        Map<String, List<String>> content = new java.util.TreeMap<>();
        for (Entity e : Entity.values()) {
            content.put("silver." + e.tableName(), rows(lakehouse.read(Table.silver(e))));
        }
        content.put("silver.quarantine", rows(lakehouse.read(Table.QUARANTINE)));
        // The info rows describe the run (a re-run inserts nothing: its rows are not newer than
        // silver); the rules' counts describe the data and must not change.
        content.put("ops.dq_results", rows(lakehouse.read(Table.DQ_RESULTS)
                .where(col("batch_date").equalTo(lit(java.sql.Date.valueOf(DAY))).and(col("severity").notEqual("info")))));
        return content;
    }

    private static List<String> rows(Dataset<Row> table) {
        for (String run : List.of(Lineage.RUN_ID, "run_id")) {
            if (List.of(table.columns()).contains(run)) {
                table = table.drop(run);
            }
        }
        return table.collectAsList().stream().map(Row::toString).sorted().toList();
    }

    private static Map<Entity, Long> bronzeVersions() {
        Map<Entity, Long> versions = new EnumMap<>(Entity.class);
        for (Entity e : Entity.values()) {
            versions.put(e, lakehouse.delta(Table.bronze(e)).history(1).first().<Long>getAs("version"));
        }
        return versions;
    }

    private static List<Expected> expected() throws IOException {
        List<String> lines = Files.readAllLines(corpus.resolve("expected.csv"), StandardCharsets.UTF_8);
        List<Expected> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", 5);
            out.add(new Expected(f[0], f[1], f[2], f[3]));
        }
        return out;
    }

    private static Map<Entity, Reconciliation> byEntity(List<Reconciliation> results) {
        Map<Entity, Reconciliation> m = new EnumMap<>(Entity.class);
        results.forEach(r -> m.put(r.entity(), r));
        return m;
    }
}
