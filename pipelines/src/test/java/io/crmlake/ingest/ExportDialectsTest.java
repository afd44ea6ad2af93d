package io.crmlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.clean.CleanBatch;
import io.crmlake.clean.Reconciliation;
import io.crmlake.config.SourceMapping;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.schema.Entity;
import io.crmlake.testing.SharedSpark;

/**
 * Exports written by hand the way other systems write them ({@code src/test/resources/dialects/},
 * its README says what each holds), through ingest and clean with the shipped mappings or a
 * user's copy: what silver holds, row by row, and what was quarantined and why.
 */
class ExportDialectsTest {
    private final SparkSession spark = SharedSpark.get();

    /** Ingests and cleans one day of a fixture; returns the reconciliation per entity. */
    private Map<Entity, Reconciliation> load(Lakehouse lh, String fixture, SourceMapping mapping, LocalDate day) {
        LandingZone landing = new LandingZone(resource("/dialects/" + fixture + "/landing").toString(),
                spark.sparkContext().hadoopConfiguration(), mapping, "_SUCCESS");
        new IngestBatch(lh, landing, mapping, false, false, ExtraColumns.KEEP).run(day, "test-ingest", s -> { });
        Map<Entity, Double> gate = new EnumMap<>(Entity.class);
        for (Entity e : Entity.values()) {
            gate.put(e, 0.10); // the shipped default
        }
        Map<Entity, Reconciliation> out = new EnumMap<>(Entity.class);
        new CleanBatch(lh, mapping, new CleanBatch.Params("US", gate)).run(day, "test-clean", s -> { })
                .forEach(r -> out.put(r.entity(), r));
        assertThat(out.values()).allMatch(Reconciliation::holds);
        return out;
    }

    @Test
    void anInvoiceLineExportOfAWebShopWithItsOwnColumnNames() {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("online-retail").toString());
        SourceMapping mapping = SourceMapping.load(resource("/dialects/online-retail/online-retail.conf").toString());
        Map<Entity, Reconciliation> r = load(lh, "online-retail", mapping, LocalDate.parse("2010-12-01"));

        assertThat(lh.read(IngestBatch.INVOICE_LINES).count()).as("every line as delivered").isEqualTo(14);
        assertThat(r.get(Entity.ORDER_ITEMS).landed()).as("one order line per invoice line").isEqualTo(14);
        assertThat(rows(lh, Entity.ORDERS, "order_id", "customer_id", "order_ts", "status", "currency", "total_amount"))
                .containsExactly(
                        "536365|17850|2010-12-01 08:26:00.0|completed|GBP|55.98",
                        "536366|17850|2010-12-01 08:28:00.0|completed|GBP|11.10",
                        "536370|12583|2010-12-01 08:45:00.0|completed|GBP|144.00",
                        "536371|null|2010-12-01 09:00:00.0|completed|GBP|204.00",   // a guest checkout
                        "536372|null|2010-12-01 09:01:00.0|completed|GBP|0.00",     // a guest's free item
                        "536384|18074|2010-12-01 09:53:00.0|completed|GBP|19.35",
                        "536385|17420|2010-12-01 09:56:00.0|completed|GBP|19.95",
                        "536386|16029|2010-12-01 09:57:00.0|completed|GBP|178.20",
                        "C536379|14527|2010-12-01 09:41:00.0|cancelled|GBP|-27.50", // credit notes
                        "C536383|15311|2010-12-01 09:49:00.0|cancelled|GBP|-4.65");
        assertThat(rows(lh, Entity.ORDER_ITEMS, "order_id", "line_no", "product_id", "quantity").subList(0, 3))
                .as("two identical lines of one invoice are two sales")
                .containsExactly("536365|1|85123A|6", "536365|2|71053|6", "536365|3|71053|6");
        assertThat(quarantine(lh)).containsExactly(
                "order_items negative_price", "orders negative_amount", "products negative_price"); // the bad-debt adjustment
        assertThat(r.get(Entity.ORDERS).guests()).isEqualTo(2);
        Map<String, Row> customers = byKey(lh, Entity.CUSTOMERS, "customer_id");
        assertThat(customers).containsOnlyKeys("17850", "12583", "14527", "15311", "18074", "17420", "16029");
        assertThat(customers.get("17850").getAs("country").toString()).isEqualTo("GB");
        assertThat(customers.get("17850").getAs("signup_date").toString()).isEqualTo("2010-12-01");
        Map<String, Row> products = byKey(lh, Entity.PRODUCTS, "product_id");
        assertThat(products.get("22632").<String>getAs("name")).as("no description").isNull();
        assertThat(products.get("82484").<String>getAs("name")).isEqualTo("WOOD BLACK BOARD, ANT WHITE FINISH");
        assertThat(products.values()).allMatch(p -> "unknown".equals(p.getAs("category")));
        assertThat(r.get(Entity.ORDERS).warnings()).containsEntry("default_currency", 10L);
    }

    @Test
    void aMonthOfAGroceryShopWithIsoLocalTimestamps() {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("grocery").toString());
        Map<Entity, Reconciliation> r = load(lh, "grocery", SourceMapping.load("canonical"), LocalDate.parse("2024-01-31"));

        assertThat(quarantine(lh)).isEmpty();
        assertThat(rows(lh, Entity.CUSTOMERS, "customer_id", "birth_date", "signup_date", "marketing_opt_in", "updated_at"))
                .containsExactly(
                        "1001|1990-03-05|2024-01-01|true|2024-01-01 00:04:10.0",
                        "1002|1985-11-23|2024-01-05|false|2024-01-05 18:30:00.0",
                        "1003|null|2024-01-07|true|2024-01-30 21:15:00.25");
        assertThat(rows(lh, Entity.PRODUCTS, "product_id", "name", "category"))
                .containsExactly("G1|whole milk|dairy", "G2|rolls/buns|unknown", "G3|null|unknown");
        assertThat(r.get(Entity.PRODUCTS).warnings()).containsEntry("default_category", 2L);
        assertThat(rows(lh, Entity.ORDERS, "order_id", "customer_id", "status", "total_amount"))
                .containsExactly("B1|1001|completed|2.18", "B2|1002|completed|2.84", "B3|null|completed|0.70",
                        "B4|1002|returned|-1.09", "B5|1003|completed|2.49");
        assertThat(rows(lh, Entity.ORDER_ITEMS, "order_id", "quantity")).contains("B4|-1");
    }

    @Test
    void aSalesforceExportWithOffsetsInEveryForm() {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("salesforce-hand").toString());
        load(lh, "salesforce", SourceMapping.load("salesforce"), LocalDate.parse("2026-11-01"));

        assertThat(quarantine(lh)).isEmpty();
        assertThat(rows(lh, Entity.CUSTOMERS, "customer_id", "email", "phone", "gender", "country", "signup_date",
                "marketing_opt_in", "updated_at"))
                .containsExactly(
                        "0035g00000AbCdE|jane.doe@example.com|14155550100|female|US|2026-03-01|true|2026-10-30 17:45:12.0",
                        // Signed up on the 10th in India; modified late on the 31st in California, the 1st in UTC.
                        "0035g00000AbCdF|raj@example.in|null|male|IN|2026-05-10|false|2026-11-01 06:10:00.0");
        assertThat(rows(lh, Entity.ORDERS, "order_id", "customer_id", "order_ts", "status", "total_amount"))
                .containsExactly(
                        "8015g000000Ord1|0035g00000AbCdE|2026-10-31 00:00:00.0|completed|223.50",
                        "8015g000000Ord2|null|2026-10-31 15:00:00.0|completed|24.50",
                        "8015g000000Ord3|0035g00000AbCdF|2026-10-31 10:00:00.0|returned|-24.50");
        assertThat(rows(lh, Entity.PRODUCTS, "product_id", "category"))
                .containsExactly("01t5g000000Prod1|Electronics", "01t5g000000Prod2|unknown");
        assertThat(rows(lh, Entity.INTERACTIONS, "event_id", "event_type")).containsExactly(
                "00v5g000000Evt1|sent", "00v5g000000Evt2|open");
        assertThat(byKey(lh, Entity.TICKETS, "ticket_id").get("5005g000000Cas1").<Integer>getAs("satisfaction")).isEqualTo(4);
    }

    private static List<String> rows(Lakehouse lh, Entity e, String... columns) {
        Dataset<Row> silver = lh.read(Table.silver(e));
        return silver.orderBy(e.keys().stream().map(k -> col(k)).toArray(org.apache.spark.sql.Column[]::new))
                .collectAsList().stream().map(r -> {
                    StringBuilder sb = new StringBuilder();
                    for (String c : columns) {
                        Object v = r.getAs(c);
                        sb.append(sb.length() == 0 ? "" : "|").append(v instanceof BigDecimal b ? b.toPlainString() : v);
                    }
                    return sb.toString();
                }).toList();
    }

    private static Map<String, Row> byKey(Lakehouse lh, Entity e, String key) {
        Map<String, Row> out = new TreeMap<>();
        lh.read(Table.silver(e)).collectAsList().forEach(r -> out.put(r.getAs(key), r));
        return out;
    }

    private static List<String> quarantine(Lakehouse lh) {
        return lh.read(Table.QUARANTINE).orderBy("entity", "rule").collectAsList().stream()
                .map(r -> r.getAs("entity") + " " + r.getAs("rule")).toList();
    }

    private static Path resource(String name) {
        try {
            return Path.of(ExportDialectsTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
