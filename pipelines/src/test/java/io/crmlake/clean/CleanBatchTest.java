package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.config.SourceMapping;
import io.crmlake.ingest.ExtraColumns;
import io.crmlake.ingest.IngestBatch;
import io.crmlake.ingest.LandingZone;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.schema.Entity;
import io.crmlake.testing.Landing;
import io.crmlake.testing.SharedSpark;

/**
 * Ingest and clean two tiny days end to end on real Delta tables: every quarantine reason,
 * exact duplicates, a newer version in the same file, an older version arriving a day later,
 * idempotent re-runs, the reconciliation invariant and the quality gate.
 */
class CleanBatchTest {
    private static final LocalDate DAY1 = LocalDate.parse("2026-11-01");
    private static final LocalDate DAY2 = LocalDate.parse("2026-11-02");
    private static final String CUSTOMER_C1 = "C1,Ann,Lee, ANN.Lee@Example.COM ,(555) 123-4567,F,1990-01-02,Boston,USA,2025-01-01,yes,2026-01-01 10:00:00";

    private final SparkSession spark = SharedSpark.get();

    private static Landing dirtyDays(Path root) {
        Landing l = new Landing(root);
        l.csv(Entity.CUSTOMERS, DAY1, "customers.csv",
                CUSTOMER_C1,
                CUSTOMER_C1, // exact duplicate
                "C2,Bob,Ray,bob@,+44 20 7946 0958,M,03/15/1985,London,GB,2025-02-01,no,2026-01-01 10:00:00",
                "C2,Bob,Ray,bob@ray.org,+44 20 7946 0958,M,03/15/1985,Leeds,GB,2025-02-01,no,2026-01-02 09:00:00",
                "C3,Cy,Doe,cy@doe.net,,,,Paris,France,2025-03-01,true,",
                "C4,Di,Fox,di@fox.io,,,,Rome,IT,someday,true,2026-01-01 10:00:00");
        l.csv(Entity.PRODUCTS, DAY1, "products.csv",
                "P1,Mug,Kitchen,Acme,12.50,2026-01-01 00:00:00",
                "P2,Pan,Kitchen,Acme,-3.00,2026-01-01 00:00:00");
        l.csv(Entity.CAMPAIGNS, DAY1, "campaigns.csv", "CMP1,Spring,email,2026-03-01,2026-03-08");
        l.csv(Entity.ORDERS, DAY1, "orders.csv",
                "O1,C1,2026-10-30 12:00:00,web,completed,usd,25.00",
                "O2,C99,2026-10-30 12:00:00,web,completed,USD,10.00",
                "O3,C1,2026-10-30 12:00:00,web,lost,USD,10.00",
                "O4,C2,notadate,web,completed,USD,10.00");
        l.csv(Entity.ORDER_ITEMS, DAY1, "order_items.csv",
                "O1,1,P1,2,12.50,0",
                "O1,2,P1,-1,12.50,0",
                "O1,3,P1,0,12.50,0",
                "O2,1,P1,1,10.00,0",
                "O1,4,P9,1,12.50,0",
                "O1,5,P1,1,12.50,1.5");
        l.csv(Entity.INTERACTIONS, DAY1, "interactions.csv",
                "E1,C1,CMP1,email,sent,2026-03-01 08:00:00",
                "E2,C1,CMP1,email,bounce,2026-03-01 08:00:00",
                "E3,C1,CMP9,email,open,2026-03-01 09:00:00");
        l.csv(Entity.TICKETS, DAY1, "tickets.csv", "T1,C1,2026-04-01 10:00:00,email,billing,high,closed,9,\"Late, but fine\"");
        // Day 2: C1 re-sent with an OLDER updated_at (must not win), C2 with a newer one (must win).
        l.csv(Entity.CUSTOMERS, DAY2, "customers.csv",
                "C1,Ann,Lee,ann.lee@example.com,(555) 123-4567,F,1990-01-02,Chicago,US,2025-01-01,yes,2025-12-01 10:00:00",
                "C2,Bob,Ray,bob@ray.org,+44 20 7946 0958,M,1985-03-15,York,GB,2025-02-01,no,2026-01-03 09:00:00");
        l.raw("tickets", DAY2, "tickets_part2.csv", ""); // a zero-byte file
        l.emptyDay(DAY2);
        return l;
    }

    private static CleanBatch.Params params(double maxShare) {
        Map<Entity, Double> gate = new EnumMap<>(Entity.class);
        for (Entity e : Entity.values()) {
            gate.put(e, maxShare);
        }
        return new CleanBatch.Params("US", gate);
    }

    private static void ingest(Lakehouse lh, Landing l, LocalDate d) {
        SourceMapping m = SourceMapping.load("canonical");
        new IngestBatch(lh, new LandingZone(l.root().toString(), lh.spark().sparkContext().hadoopConfiguration(), m, "_SUCCESS"),
                m, false, false, ExtraColumns.KEEP).run(d, "test-ingest", s -> { });
    }

    @Test
    void everyRowIsAccountedForAndEveryRuleNamed() {
        Path dir = SharedSpark.tempDir("clean");
        Landing landing = dirtyDays(dir.resolve("landing"));
        Lakehouse lh = new Lakehouse(spark, dir.resolve("warehouse").toString());
        CleanBatch clean = new CleanBatch(lh, SourceMapping.load("canonical"), params(1.0));

        ingest(lh, landing, DAY1);
        Map<Entity, Reconciliation> day1 = byEntity(clean.run(DAY1, "run-1", s -> { }));

        assertThat(day1.values()).allMatch(Reconciliation::holds);
        assertThat(quarantineRules(DAY1)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "customers", "invalid_signup_date,missing_updated_at",
                "products", "negative_price",
                "orders", "invalid_order_ts,invalid_status,orphan_customer",
                // O2's line: its order was refused (orphan_customer), so it is a cascade, not an orphan.
                "order_items", "invalid_discount,negative_quantity,parent_quarantined,unknown_product,zero_quantity",
                "interactions", "invalid_event_type,unknown_campaign"));
        Reconciliation customers = day1.get(Entity.CUSTOMERS);
        assertThat(customers.landed()).isEqualTo(6);
        assertThat(customers.duplicates()).as("exact duplicate of C1").isEqualTo(1);
        assertThat(customers.superseded()).as("older C2 in the same file").isEqualTo(1);
        assertThat(customers.inserted()).isEqualTo(2);
        assertThat(customers.warnings()).as("C2's newest row has a good email").isEmpty();

        Row c1 = silver("customers").where(col("customer_id").equalTo("C1")).first();
        assertThat((String) c1.getAs("email")).isEqualTo("ann.lee@example.com");
        assertThat((String) c1.getAs("phone")).isEqualTo("15551234567");
        assertThat((String) c1.getAs("country")).isEqualTo("US");
        assertThat((String) c1.getAs("gender")).isEqualTo("female");
        assertThat((Boolean) c1.getAs("marketing_opt_in")).isTrue();
        Row c2 = silver("customers").where(col("customer_id").equalTo("C2")).first();
        assertThat((String) c2.getAs("city")).isEqualTo("Leeds");
        assertThat(c2.getAs("birth_date").toString()).isEqualTo("1985-03-15");
        assertThat((String) c2.getAs("phone")).isEqualTo("442079460958");
        Row t1 = silver("tickets").first();
        assertThat(t1.isNullAt(t1.fieldIndex("satisfaction"))).as("satisfaction 9 is not a 1-5 score").isTrue();
        assertThat(day1.get(Entity.TICKETS).warnings()).containsEntry("invalid_satisfaction", 1L);
        assertThat(silver("order_items").count()).isEqualTo(1);

        ingest(lh, landing, DAY2);
        Map<Entity, Reconciliation> day2 = byEntity(clean.run(DAY2, "run-2", s -> { }));
        assertThat(day2.values()).allMatch(Reconciliation::holds);
        assertThat(day2.get(Entity.CUSTOMERS).notNewer()).as("C1's older record arrived late").isEqualTo(1);
        assertThat(day2.get(Entity.CUSTOMERS).updated()).isEqualTo(1);
        assertThat(cities()).containsExactly("C1=Boston", "C2=York");
        // What silver held after each day, for re-runs and backfills of that day.
        assertThat(citiesAsOf(lh, DAY1)).containsExactly("C1=Boston", "C2=Leeds");
        assertThat(citiesAsOf(lh, DAY2)).containsExactly("C1=Boston", "C2=York");

        // Re-running day 1 after day 2 changes nothing and duplicates nothing.
        long quarantineBefore = lh.read(Table.QUARANTINE).count();
        long versionsBefore = lh.read(SilverVersions.table(Entity.CUSTOMERS)).count();
        ingest(lh, landing, DAY1);
        Map<Entity, Reconciliation> rerun = byEntity(clean.run(DAY1, "run-3", s -> { }));
        assertThat(rerun.values()).allMatch(Reconciliation::holds);
        assertThat(rerun.values()).allMatch(r -> r.inserted() == 0 && r.updated() == 0);
        assertThat(cities()).containsExactly("C1=Boston", "C2=York");
        assertThat(lh.read(Table.QUARANTINE).count()).isEqualTo(quarantineBefore);
        assertThat(lh.read(SilverVersions.table(Entity.CUSTOMERS)).count()).isEqualTo(versionsBefore);
        assertThat(citiesAsOf(lh, DAY1)).containsExactly("C1=Boston", "C2=Leeds");
        assertThat(lh.read(Table.bronze(Entity.CUSTOMERS)).count()).isEqualTo(6 + 2);

        // ops.dq_results says the invariant held for every entity and day.
        List<Row> recon = spark.table("ops.dq_results").where(col("rule").equalTo("reconciliation")).collectAsList();
        assertThat(recon).hasSize(2 * Entity.values().length);
        assertThat(recon).allMatch(r -> r.<Long>getAs("failed_rows") == 0L);
    }

    @Test
    void qualityGateStopsAnEntityAboveItsShareAndLeavesSilverAlone() {
        Path dir = SharedSpark.tempDir("gate");
        Landing landing = dirtyDays(dir.resolve("landing"));
        Lakehouse lh = new Lakehouse(spark, dir.resolve("warehouse").toString());
        Map<Entity, Double> gate = new EnumMap<>(Entity.class);
        for (Entity e : Entity.values()) {
            gate.put(e, 1.0);
        }
        gate.put(Entity.ORDERS, 0.5); // 3 of 4 orders break a rule
        ingest(lh, landing, DAY1);
        CleanBatch clean = new CleanBatch(lh, SourceMapping.load("canonical"), new CleanBatch.Params("US", gate));
        assertThatThrownBy(() -> clean.run(DAY1, "run-gate", s -> { }))
                .isInstanceOf(QualityGateError.class)
                .hasMessageContaining("quality gate failed for orders on 2026-11-01: 75.0% of 4 rows quarantined (max 50.0%");
        assertThat(lh.exists(Table.silver(Entity.ORDERS))).as("silver.orders not written").isFalse();
        assertThat(lh.read(Table.QUARANTINE).where(col("entity").equalTo("orders")).count()).isEqualTo(3);
        assertThat(lh.exists(Table.silver(Entity.ORDER_ITEMS))).as("later entities not processed").isFalse();
    }

    /**
     * What real shop exports carry: ISO local timestamps, a product without name or category, a
     * guest checkout, a credit note with negative amount and quantity, and rows refused only because
     * their parent was, today or a day earlier. The gate counts only an entity's own faults.
     */
    @Test
    void guestsCreditNotesDefaultsAndCascadesAreAccountedFor() {
        Path dir = SharedSpark.tempDir("cascade");
        Landing l = new Landing(dir.resolve("landing"));
        l.csv(Entity.CUSTOMERS, DAY1, "customers.csv",
                "C1,Ann,Lee,ann@lee.org,,,,Boston,US,2025-01-01,yes,2026-01-01T10:00:00",
                "C5,Eve,Ng,eve@ng.org,,,,Oslo,NO,2025-01-01,yes,last tuesday");           // invalid_updated_at
        l.csv(Entity.PRODUCTS, DAY1, "products.csv",
                "P1,Mug,Kitchen,Acme,12.50,2026-01-01T00:00:00",
                "P3,,,,5.00,2026-01-01T00:00");                                            // no name, no category
        l.csv(Entity.ORDERS, DAY1, "orders.csv",
                "O10,C5,2026-10-30T12:00:00,web,completed,USD,10.00",   // its customer was refused: a cascade
                "O11,,2026-10-30T12:05:00,store,completed,USD,30.00",    // a guest checkout
                "O12,C1,2026-10-31T09:00:00,web,cancelled,USD,-12.50",  // a credit note
                "O13,C1,2026-10-31T09:00:00,web,completed,USD,-5.00");  // negative on a sale: an error
        l.csv(Entity.ORDER_ITEMS, DAY1, "order_items.csv",
                "O10,1,P1,1,10.00,",
                "O11,1,P1,2,12.50,",
                "O11,2,P3,1,5.00,",
                "O12,1,P1,-1,12.50,",
                "O13,1,P1,-1,5.00,");
        l.emptyDay(DAY1);
        l.csv(Entity.ORDER_ITEMS, DAY2, "order_items.csv",
                "O10,2,P1,1,10.00,",   // a day late, still a cascade
                "O11,3,P1,0,12.50,");  // zero_quantity: a fault of its own
        l.emptyDay(DAY2);
        Lakehouse lh = new Lakehouse(spark, dir.resolve("warehouse").toString());
        Map<Entity, Double> gate = new EnumMap<>(Entity.class);
        for (Entity e : Entity.values()) {
            gate.put(e, 1.0);
        }
        gate.put(Entity.ORDER_ITEMS, 0.3); // day one: 2 of 5 lines refused, 1 for a fault of its own
        CleanBatch clean = new CleanBatch(lh, SourceMapping.load("canonical"), new CleanBatch.Params("US", gate));
        ingest(lh, l, DAY1);
        Map<Entity, Reconciliation> day1 = byEntity(clean.run(DAY1, "run-1", s -> { }));

        assertThat(day1.values()).allMatch(Reconciliation::holds);
        assertThat(quarantineRules(DAY1)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "customers", "invalid_updated_at",
                "orders", "negative_amount,parent_quarantined",
                "order_items", "negative_quantity,parent_quarantined"));
        Reconciliation orders = day1.get(Entity.ORDERS);
        assertThat(orders.guests()).as("O11").isEqualTo(1);
        assertThat(orders.inserted()).as("O11, O12").isEqualTo(2);
        assertThat(orders.cascades()).containsExactly(Map.entry("customers: customers.invalid_updated_at", 1L));
        Reconciliation lines = day1.get(Entity.ORDER_ITEMS);
        assertThat(lines.cascades()).as("O10's line: its order was refused because its customer was")
                .containsExactly(Map.entry("orders: customers.invalid_updated_at", 1L));
        assertThat(lines.ownFaults()).as("O13's line").isEqualTo(1);
        assertThat(lines.inserted()).as("O11's two lines and the credit note's").isEqualTo(3);

        Row guest = silver("orders").where(col("order_id").equalTo("O11")).first();
        assertThat(guest.isNullAt(guest.fieldIndex("customer_id"))).isTrue();
        assertThat(guest.getAs("order_ts").toString()).as("ISO local time, read in UTC").isEqualTo("2026-10-30 12:05:00.0");
        assertThat(silver("order_items").where(col("order_id").equalTo("O12")).first().<Integer>getAs("quantity")).isEqualTo(-1);
        Row p3 = silver("products").where(col("product_id").equalTo("P3")).first();
        assertThat(p3.<String>getAs("category")).isEqualTo("unknown");
        assertThat(p3.isNullAt(p3.fieldIndex("name"))).isTrue();
        assertThat(day1.get(Entity.PRODUCTS).warnings()).containsExactly(Map.entry("default_category", 1L));

        String details = spark.table("silver.quarantine").where(col("entity").equalTo("order_items")
                .and(col("rule").equalTo("parent_quarantined"))).first().getAs("details");
        assertThat(details).contains("\"parent\":\"orders\"", "\"parent_key\":\"O10\"",
                "\"parent_rule\":\"parent_quarantined\"", "\"root\":\"customers\"", "\"root_rule\":\"invalid_updated_at\"");
        Map<String, Long> dq = new TreeMap<>();
        spark.table("ops.dq_results").where(col("entity").equalTo("orders")).collectAsList()
                .forEach(r -> dq.put(r.getAs("rule"), r.getAs("failed_rows")));
        assertThat(dq).containsEntry("guest", 1L).containsEntry("parent_quarantined", 1L)
                .containsEntry("parent_quarantined: customers: customers.invalid_updated_at", 1L)
                .containsEntry("reconciliation", 0L);

        // Day two: one line of its own fault (50%, over the 30% gate) beside a cascade the gate leaves out.
        ingest(lh, l, DAY2);
        assertThatThrownBy(() -> clean.run(DAY2, "run-2", s -> { }))
                .isInstanceOf(QualityGateError.class)
                .hasMessageContaining("quality gate failed for order_items on 2026-11-02: 50.0% of 2 rows quarantined")
                .hasMessageContaining("not counting 1 quarantined only because their parent row was")
                .hasMessageContaining("orders: customers.invalid_updated_at=1");
        Row late = spark.table("silver.quarantine").where(col("batch_date").equalTo(java.sql.Date.valueOf(DAY2))
                .and(col("rule").equalTo("parent_quarantined"))).first();
        assertThat(late.<String>getAs("details")).as("its order was refused the day before")
                .contains("\"parent_key\":\"O10\"", "\"root\":\"customers\"");
    }

    private Map<String, String> quarantineRules(LocalDate d) {
        Map<String, String> out = new TreeMap<>();
        spark.table("silver.quarantine").where(col("batch_date").equalTo(java.sql.Date.valueOf(d)))
                .groupBy("entity").agg(org.apache.spark.sql.functions.array_sort(
                        org.apache.spark.sql.functions.collect_set("rule")).as("rules"))
                .collectAsList()
                .forEach(r -> out.put(r.getString(0), String.join(",", r.<String>getList(1))));
        return out;
    }

    private org.apache.spark.sql.Dataset<Row> silver(String table) {
        return spark.table("silver." + table);
    }

    private List<String> cities() {
        return silver("customers").orderBy("customer_id").collectAsList().stream()
                .map(r -> r.getAs("customer_id") + "=" + r.getAs("city")).collect(Collectors.toList());
    }

    private static List<String> citiesAsOf(Lakehouse lh, LocalDate day) {
        return SilverVersions.asOf(lh, Entity.CUSTOMERS, day).orderBy("customer_id").collectAsList().stream()
                .map(r -> r.getAs("customer_id") + "=" + r.getAs("city")).collect(Collectors.toList());
    }

    private static Map<Entity, Reconciliation> byEntity(List<Reconciliation> results) {
        Map<Entity, Reconciliation> m = new EnumMap<>(Entity.class);
        results.forEach(r -> m.put(r.entity(), r));
        return m;
    }
}
