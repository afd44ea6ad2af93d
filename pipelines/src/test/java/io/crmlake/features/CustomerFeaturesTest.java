package io.crmlake.features;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.schema.Entity;
import io.crmlake.testing.SharedSpark;

/**
 * Every feature on a tiny history, against numbers worked out by hand in the comments.
 * As of 2026-11-01 with a 90-day window: the window holds the dates 2026-08-04 .. 2026-11-01.
 */
class CustomerFeaturesTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-11-01");
    private final SparkSession spark = SharedSpark.get();

    private static Timestamp ts(String iso) {
        return Timestamp.from(Instant.parse(iso));
    }

    private static Date d(String iso) {
        return Date.valueOf(iso);
    }

    private Dataset<Row> df(Entity e, Object[]... rows) {
        return spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), e.typedSchema());
    }

    private FeatureInputs inputs(boolean withFuture) {
        Dataset<Row> customers = df(Entity.CUSTOMERS,
                new Object[]{"A", "Ann", "Lee", "a@x.org", null, "female", null, "Boston", "US", d("2025-11-01"), true, ts("2026-01-01T00:00:00Z")},
                new Object[]{"B", "Bo", "Ma", "b@x.org", null, null, null, "Paris", "FR", d("2026-10-01"), false, ts("2026-10-01T00:00:00Z")},
                new Object[]{"C", "Cy", "No", "c@x.org", null, null, null, "Rome", "IT", d("2026-11-02"), true, ts("2026-11-02T00:00:00Z")});
        Dataset<Row> orders = df(Entity.ORDERS,
                order("A1", "2026-01-10T10:00:00Z", "completed", "100.00"),
                order("A2", "2026-08-04T00:00:00Z", "completed", "50.00"),  // 89 days before: in the window
                order("A3", "2026-08-03T23:59:59Z", "completed", "30.00"),  // 90 days before: outside
                order("A4", "2026-10-01T12:00:00Z", "cancelled", "999.00"),
                order("A5", "2026-10-15T12:00:00Z", "returned", "70.00"),
                order("A6", "2026-11-01T23:00:00Z", "completed", "20.00")); // on the as-of date: counts
        Dataset<Row> items = df(Entity.ORDER_ITEMS,
                line("A1", 1, "P1", 2), line("A1", 2, "P2", 1), line("A2", 1, "P3", 1), line("A3", 1, "P1", 4),
                line("A4", 1, "P4", 10), line("A6", 1, "P2", 2));
        Dataset<Row> products = df(Entity.PRODUCTS,
                product("P1", "Kitchen"), product("P2", "Garden"), product("P3", "Kitchen"), product("P4", "Toys"));
        Dataset<Row> events = df(Entity.INTERACTIONS,
                event("E1", "email", "sent", "2026-05-01T08:00:00Z"), // before the window
                event("E2", "email", "sent", "2026-09-01T08:00:00Z"),
                event("E3", "email", "sent", "2026-09-15T08:00:00Z"),
                event("E4", "email", "sent", "2026-10-01T08:00:00Z"),
                event("E5", "email", "sent", "2026-10-15T08:00:00Z"),
                event("E6", "email", "open", "2026-09-01T09:00:00Z"),
                event("E7", "email", "open", "2026-09-15T09:00:00Z"),
                event("E8", "email", "open", "2026-10-01T09:00:00Z"),
                event("E9", "email", "click", "2026-10-01T09:05:00Z"),
                event("E10", "sms", "sent", "2026-10-01T08:00:00Z"));
        Dataset<Row> tickets = df(Entity.TICKETS,
                ticket("T1", "2026-02-01T10:00:00Z", 2),
                ticket("T2", "2026-10-01T10:00:00Z", null),
                ticket("T3", "2026-10-20T10:00:00Z", 5));
        if (withFuture) { // everything after the as-of date: must change nothing
            orders = orders.union(df(Entity.ORDERS, order("A7", "2026-11-02T00:00:00Z", "completed", "500.00")));
            items = items.union(df(Entity.ORDER_ITEMS, line("A7", 1, "P4", 1)));
            events = events.union(df(Entity.INTERACTIONS,
                    event("E11", "email", "open", "2026-11-02T09:00:00Z"),
                    event("E12", "email", "unsubscribe", "2026-11-05T09:00:00Z")));
            tickets = tickets.union(df(Entity.TICKETS, ticket("T4", "2026-11-03T10:00:00Z", 1)));
        }
        return new FeatureInputs(customers, orders, items, products, events, tickets);
    }

    private static Object[] order(String id, String ts, String status, String amount) {
        return new Object[]{id, "A", ts(ts), "web", status, "USD", new BigDecimal(amount)};
    }

    private static Object[] line(String order, int no, String product, int qty) {
        return new Object[]{order, no, product, qty, new BigDecimal("10.00"), new BigDecimal("0.0000")};
    }

    private static Object[] product(String id, String category) {
        return new Object[]{id, id, category, "Acme", new BigDecimal("10.00"), ts("2026-01-01T00:00:00Z")};
    }

    private static Object[] event(String id, String channel, String type, String ts) {
        return new Object[]{id, "A", "CMP1", channel, type, ts(ts)};
    }

    private static Object[] ticket(String id, String ts, Integer satisfaction) {
        return new Object[]{id, "A", ts(ts), "email", "billing", "low", "closed", satisfaction, "text"};
    }

    @Test
    void featuresOfACustomerWithHistoryMatchHandComputedValues() {
        Row a = features(true).where(col("customer_id").equalTo("A")).first();
        assertThat(a.<Date>getAs("as_of_date")).isEqualTo(d("2026-11-01"));
        assertThat(a.<Integer>getAs("recency_days")).as("last completed order A6 on the as-of date").isZero();
        assertThat(a.<Long>getAs("frequency")).as("A1, A2, A3, A6").isEqualTo(4L);
        assertThat(a.<BigDecimal>getAs("monetary")).as("100 + 50 + 30 + 20").isEqualByComparingTo("200.00");
        assertThat(a.<BigDecimal>getAs("avg_order_value")).isEqualByComparingTo("50.00");
        assertThat(a.<Integer>getAs("tenure_days")).as("2025-11-01 .. 2026-11-01").isEqualTo(365);
        assertThat(a.<Long>getAs("orders_90d")).as("A2 and A6; A3 is 90 days back").isEqualTo(2L);
        assertThat(a.<BigDecimal>getAs("revenue_90d")).isEqualByComparingTo("70.00");
        assertThat(a.<Long>getAs("distinct_categories")).as("Kitchen, Garden; Toys only in a cancelled order").isEqualTo(2L);
        assertThat(a.<Double>getAs("email_open_rate")).as("3 opens / 4 sends in the window").isEqualTo(0.75);
        assertThat(a.<Double>getAs("email_click_rate")).isEqualTo(0.25);
        assertThat(a.<Long>getAs("email_sends_90d")).as("sms and the May send do not count").isEqualTo(4L);
        assertThat(a.<Long>getAs("tickets_90d")).as("T2, T3").isEqualTo(2L);
        assertThat(a.<Double>getAs("avg_satisfaction")).as("(2 + 5) / 2, T2 unrated").isEqualTo(3.5);
        assertThat(a.<Long>getAs("cancelled_orders")).isEqualTo(1L);
        assertThat(a.<Long>getAs("returned_orders")).isEqualTo(1L);
        assertThat(a.<Double>getAs("return_rate")).as("70 returned of 200 + 70 sold").isCloseTo(70.0 / 270, within(1e-9));
        assertThat(a.<Double>getAs("avg_days_between_orders")).as("295 days from 2026-01-10 to 2026-11-01 over 3 gaps")
                .isCloseTo(295.0 / 3, within(1e-9));
        assertThat(a.<Double>getAs("avg_items_per_order")).as("(3 + 1 + 4 + 2) / 4").isEqualTo(2.5);
        assertThat(a.<Boolean>getAs("unsubscribed")).as("the unsubscribe is after the as-of date").isFalse();
        assertThat(a.<Boolean>getAs("marketing_opt_in")).isTrue();
    }

    @Test
    void customerWithoutHistoryHasZeroCountsAndNullRatios() {
        Row b = features(true).where(col("customer_id").equalTo("B")).first();
        assertThat(b.isNullAt(b.fieldIndex("recency_days"))).isTrue();
        assertThat(b.<Long>getAs("frequency")).isZero();
        assertThat(b.<BigDecimal>getAs("monetary")).isEqualByComparingTo("0");
        assertThat(b.isNullAt(b.fieldIndex("avg_order_value"))).isTrue();
        assertThat(b.<Integer>getAs("tenure_days")).isEqualTo(31);
        for (String zero : List.of("orders_90d", "distinct_categories", "tickets_90d", "cancelled_orders",
                "returned_orders", "email_sends_90d")) {
            assertThat(b.<Long>getAs(zero)).as(zero).isZero();
        }
        for (String none : List.of("email_open_rate", "email_click_rate", "avg_satisfaction", "return_rate",
                "avg_days_between_orders", "avg_items_per_order")) {
            assertThat(b.isNullAt(b.fieldIndex(none))).as(none).isTrue();
        }
        assertThat(b.<Boolean>getAs("unsubscribed")).isFalse();
    }

    @Test
    void customersWhoSignedUpLaterAreAbsentAndColumnsFollowTheContract() {
        Dataset<Row> f = features(true);
        assertThat(f.select("customer_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                .containsExactlyInAnyOrder("A", "B");
        assertThat(f.columns()).containsExactlyElementsOf(CustomerFeatures.COLUMNS);
    }

    @Test
    void nothingAfterTheAsOfDateChangesAnyValue() {
        List<Row> with = features(true).orderBy("customer_id").collectAsList();
        List<Row> without = features(false).orderBy("customer_id").collectAsList();
        assertThat(with).isEqualTo(without);
    }

    @Test
    void aLaterAsOfDateSeesTheLaterRows() {
        Row a = CustomerFeatures.compute(inputs(true), LocalDate.parse("2026-11-05"), FeatureParams.defaults())
                .where(col("customer_id").equalTo("A")).first();
        assertThat(a.<Long>getAs("frequency")).isEqualTo(5L);
        assertThat(a.<Integer>getAs("recency_days")).as("A7 on 2026-11-02").isEqualTo(3);
        assertThat(a.<Boolean>getAs("unsubscribed")).isTrue();
    }

    @Test
    void distinctCategoriesAreCountedAcrossACatalogueOfMoreThan64Categories() {
        // Categories C00..C69, product Pnn in category Cnn: a category set takes two 64-bit words.
        Object[][] catalogue = IntStream.range(0, 70)
                .mapToObj(i -> product(String.format("P%02d", i), String.format("C%02d", i))).toArray(Object[][]::new);
        Dataset<Row> items = df(Entity.ORDER_ITEMS,
                line("A1", 1, "P00", 1), line("A1", 2, "P63", 1), // the first word's first and last bit
                line("A2", 1, "P64", 1), line("A2", 2, "P69", 1), // the second word
                line("A6", 1, "P69", 2),                          // C69 again: counted once
                line("A6", 2, "P99", 1),                          // not in the catalogue: items, no category
                line("A4", 1, "P05", 1));                         // a cancelled order: not counted
        FeatureInputs base = inputs(false);
        FeatureInputs in = new FeatureInputs(base.customers(), base.orders(), items, df(Entity.PRODUCTS, catalogue),
                base.interactions(), base.tickets());
        Row a = CustomerFeatures.compute(in, AS_OF, FeatureParams.defaults()).where(col("customer_id").equalTo("A")).first();
        assertThat(a.<Long>getAs("distinct_categories")).as("C00, C63, C64, C69").isEqualTo(4L);
        assertThat(a.<Double>getAs("avg_items_per_order")).as("A1 2, A2 2, A6 3; A3 has no lines").isCloseTo(7.0 / 3, within(1e-9));
    }

    /**
     * An invoice-line shop: a credit note (a cancelled order with a negative amount) takes money
     * back and counts as a return; a guest's order belongs to nobody.
     */
    @Test
    void creditNotesAreNetOfSalesAndGuestOrdersBelongToNobody() {
        FeatureInputs base = inputs(false);
        Dataset<Row> orders = base.orders().union(df(Entity.ORDERS,
                new Object[]{"D1", "B", ts("2026-10-10T10:00:00Z"), null, "completed", null, new BigDecimal("80.00")},
                new Object[]{"D2", "B", ts("2026-10-20T10:00:00Z"), null, "cancelled", null, new BigDecimal("-20.00")},
                new Object[]{"G1", null, ts("2026-10-20T10:00:00Z"), null, "completed", null, new BigDecimal("999.00")}));
        FeatureInputs in = new FeatureInputs(base.customers(), orders, base.orderItems(), base.products(),
                base.interactions(), base.tickets());
        Dataset<Row> f = CustomerFeatures.compute(in, AS_OF, FeatureParams.defaults());
        Row b = f.where(col("customer_id").equalTo("B")).first();
        assertThat(b.<Long>getAs("frequency")).as("the credit note is no purchase").isEqualTo(1L);
        assertThat(b.<BigDecimal>getAs("monetary")).as("80 sold - 20 credited").isEqualByComparingTo("60.00");
        assertThat(b.<BigDecimal>getAs("revenue_90d")).isEqualByComparingTo("60.00");
        assertThat(b.<BigDecimal>getAs("avg_order_value")).isEqualByComparingTo("60.00");
        assertThat(b.<Long>getAs("returned_orders")).as("the credit note").isEqualTo(1L);
        assertThat(b.<Long>getAs("cancelled_orders")).as("a credit note is a return, not a cancellation").isZero();
        assertThat(b.<Double>getAs("return_rate")).as("20 of 80").isEqualTo(0.25);
        assertThat(f.count()).as("A and B; the guest is nobody").isEqualTo(2);
        Row a = f.where(col("customer_id").equalTo("A")).first();
        assertThat(a.<BigDecimal>getAs("monetary")).as("the guest's 999 is not A's").isEqualByComparingTo("200.00");
    }

    private Dataset<Row> features(boolean withFuture) {
        return CustomerFeatures.compute(inputs(withFuture), AS_OF, FeatureParams.defaults());
    }
}
