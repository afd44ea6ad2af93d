package io.crmlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.crmlake.clean.DateTimes;
import io.crmlake.schema.Entity;
import io.crmlake.schema.InvoiceLine;
import io.crmlake.schema.Lineage;
import io.crmlake.testing.SharedSpark;

/** The entities derived from invoice lines, on a handful of lines with the expected rows written beside them. */
class InvoiceLinesTest {
    private static final LocalDate DAY1 = LocalDate.parse("2010-12-01");
    private static final LocalDate DAY2 = LocalDate.parse("2010-12-02");
    private static final StructType LINES = InvoiceLine.rawSchema()
            .add(Lineage.RESCUED, DataTypes.StringType).add(Lineage.MALFORMED, DataTypes.StringType)
            .add(InvoiceLine.POSITION, DataTypes.LongType).add(Lineage.SOURCE_FILE, DataTypes.StringType)
            .add(Lineage.BATCH_DATE, DataTypes.DateType);
    private final SparkSession spark = SharedSpark.get();

    private static Row line(LocalDate day, String file, long pos, String invoice, String date, String customer,
            String country, String code, String description, String qty, String price) {
        return RowFactory.create(invoice, date, customer, country, code, description, qty, price, null, null, pos, file,
                Date.valueOf(day));
    }

    private Dataset<Row> lines() {
        List<Row> rows = new ArrayList<>(List.of(
                // An earlier day: 17850's first purchase.
                line(DAY1, "a.csv", 0, "536300", "12/1/2010 8:00", "17850", "UK", "85123A", "WHITE HEART", "1", "2.55"),
                // Day 2, file b.csv: an invoice of three lines, two of them identical (two sales).
                line(DAY2, "b.csv", 0, "536365", "12/2/2010 8:26", "17850", "United Kingdom", "85123A", "WHITE HANGING HEART", "6", "2.55"),
                line(DAY2, "b.csv", 1, "536365", "12/2/2010 8:26", "17850", "United Kingdom", "71053", "WHITE LANTERN", "6", "3.39"),
                line(DAY2, "b.csv", 2, "536365", "12/2/2010 8:26", "17850", "United Kingdom", "71053", "WHITE LANTERN", "6", "3.39"),
                // A guest's invoice, later that morning, with a new price and no description for 85123A.
                line(DAY2, "b.csv", 3, "536366", "12/2/2010 9:00", "", "United Kingdom", "85123A", "", "2", "2.95"),
                // A credit note of 17850's.
                line(DAY2, "b.csv", 4, "C536379", "12/2/2010 9:41", "17850", "United Kingdom", "71053", "WHITE LANTERN", "-1", "3.39"),
                // The same minute in another file: a later file wins a tie.
                line(DAY2, "c.csv", 0, "536367", "12/2/2010 9:41", "13047", "France", "22752", "SET 7 BABUSHKA", "2", "7.65")));
        Row malformed = RowFactory.create("536368", null, null, null, null, null, null, null, null, "536368,\"broken",
                5L, "b.csv", Date.valueOf(DAY2));
        rows.add(malformed);
        return spark.createDataFrame(rows, LINES);
    }

    private Map<Entity, Dataset<Row>> derived() {
        return InvoiceLines.derive(lines(), DAY2, new DateTimes(List.of(), List.of("M/d/yyyy H:mm"), ZoneId.of("UTC")), "C");
    }

    @Test
    void everyLineIsAnOrderLineNumberedByItsPlaceInTheFile() {
        List<String> items = derived().get(Entity.ORDER_ITEMS).orderBy("order_id", "line_no").collectAsList().stream()
                .map(r -> r.getAs("order_id") + "/" + r.getAs("line_no") + " " + r.getAs("product_id") + " x"
                        + r.getAs("quantity") + " @" + r.getAs("unit_price") + (r.isNullAt(r.fieldIndex(Lineage.MALFORMED)) ? "" : " malformed"))
                .toList();
        assertThat(items).containsExactly(
                "536365/1 85123A x6 @2.55", "536365/2 71053 x6 @3.39", "536365/3 71053 x6 @3.39",
                "536366/1 85123A x2 @2.95", "536367/1 22752 x2 @7.65", "536368/1 null xnull @null malformed",
                "C536379/1 71053 x-1 @3.39");
    }

    @Test
    void anInvoiceIsAnOrderAndACreditNoteIsCancelled() {
        List<String> orders = derived().get(Entity.ORDERS).orderBy("order_id").collectAsList().stream()
                .map(r -> r.getAs("order_id") + " " + r.getAs("customer_id") + " " + r.getAs("order_ts") + " "
                        + r.getAs("status") + " " + r.getAs("total_amount"))
                .toList();
        assertThat(orders).containsExactly(
                "536365 17850 12/2/2010 8:26 completed 55.98", // 6 x 2.55 + 2 x (6 x 3.39)
                "536366  12/2/2010 9:00 completed 5.90",       // a guest checkout: the empty id as delivered
                "536367 13047 12/2/2010 9:41 completed 15.30",
                "C536379 17850 12/2/2010 9:41 cancelled -3.39");
    }

    @Test
    void productsTakeTheLatestPriceAndTheLatestDescriptionGiven() {
        Map<String, Row> products = byKey(derived().get(Entity.PRODUCTS), "product_id");
        assertThat(products).containsOnlyKeys("85123A", "71053", "22752");
        Row heart = products.get("85123A");
        assertThat(heart.<String>getAs("unit_price")).as("the guest's later line").isEqualTo("2.95");
        assertThat(heart.<String>getAs("updated_at")).isEqualTo("12/2/2010 9:00");
        assertThat(heart.<String>getAs("name")).as("the latest line with a description").isEqualTo("WHITE HANGING HEART");
        assertThat(heart.isNullAt(heart.fieldIndex("category"))).isTrue();
        assertThat(products.get("71053").<String>getAs("updated_at")).as("the credit note is its latest line").isEqualTo("12/2/2010 9:41");
    }

    @Test
    void customersAreDerivedAndAGuestIsNoCustomer() {
        Map<String, Row> customers = byKey(derived().get(Entity.CUSTOMERS), "customer_id");
        assertThat(customers).containsOnlyKeys("17850", "13047");
        Row c = customers.get("17850");
        assertThat(c.<String>getAs("signup_date")).as("the first invoice ever, a day earlier").isEqualTo("12/1/2010 8:00");
        assertThat(c.<String>getAs("updated_at")).as("the day's latest line: the credit note").isEqualTo("12/2/2010 9:41");
        assertThat(c.<String>getAs("country")).isEqualTo("United Kingdom");
        assertThat(derived().get(Entity.TICKETS).count()).isZero();
    }

    @Test
    void aReRunDerivesTheSameRows() {
        for (Entity e : List.of(Entity.ORDERS, Entity.ORDER_ITEMS, Entity.PRODUCTS, Entity.CUSTOMERS)) {
            Dataset<Row> a = derived().get(e);
            Dataset<Row> b = derived().get(e);
            assertThat(a.exceptAll(b).count() + b.exceptAll(a).count()).as(e.tableName()).isZero();
        }
    }

    private static Map<String, Row> byKey(Dataset<Row> rows, String key) {
        Map<String, Row> out = new java.util.TreeMap<>();
        rows.collectAsList().forEach(r -> out.put(r.getAs(key), r));
        return out;
    }
}
