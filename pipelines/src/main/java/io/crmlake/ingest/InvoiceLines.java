package io.crmlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

import io.crmlake.clean.DateTimes;
import io.crmlake.clean.Normalize;
import io.crmlake.schema.Entity;
import io.crmlake.schema.InvoiceLine;
import io.crmlake.schema.Lineage;

/**
 * Derives the canonical entities from a flat export of invoice lines, as delivered rows (every
 * value a string, under the canonical names) for the bronze tables, so that clean checks them
 * like any export. A pure transformation of bronze.invoice_lines.
 *
 * <ul>
 * <li>order_items: one per landed line, every line (a malformed one too, for clean to quarantine):
 *     order_id = invoice_no; line_no = the line's place among its invoice's lines, in file order
 *     (file name, then position in the file). Two identical lines of one invoice are two sales:
 *     no line id exists to call them duplicates.</li>
 * <li>orders: one per invoice number, from the invoice's readable lines: customer and date of its
 *     first line, total = Σ quantity × unit_price, status {@code cancelled} when the number starts
 *     with the cancellation prefix (a credit note, its negative amounts valid) else
 *     {@code completed}; no channel or currency (a mapping's {@code defaults} may give them).</li>
 * <li>products: one per product code: the price and updated_at of its latest line by invoice
 *     date, the description of its latest line that has one; ties by file and position, so a
 *     re-run picks the same. No category (the contract's default makes it "unknown").</li>
 * <li>customers: one per customer id: country of the latest line, updated_at its invoice date,
 *     signup_date the earliest invoice date of the customer in bronze up to the day. An empty
 *     customer id is a guest's purchase: an order without a customer, no customer row.</li>
 * <li>campaigns, interactions, tickets: no rows; such an export has none.</li>
 * </ul>
 * Dates stay as delivered; they are read (in the mapping's time zone) only to order lines.
 */
public final class InvoiceLines {
    private InvoiceLines() {}

    /**
     * @param lines              bronze.invoice_lines up to and including {@code day} (the canonical columns,
     *                           {@code _position}, {@code _rescued}, {@code _malformed}, {@code _source_file},
     *                           {@code _batch_date})
     * @param dateTimes          how the export writes dates, to order lines by invoice date
     * @param cancellationPrefix what a credit note's invoice number starts with (empty: none)
     * @return per entity, its delivered rows for bronze: canonical columns as strings, {@code _rescued},
     *         {@code _malformed} and {@code _source_file}
     */
    public static Map<Entity, Dataset<Row>> derive(Dataset<Row> lines, LocalDate day, DateTimes dateTimes,
            String cancellationPrefix) {
        Dataset<Row> ofDay = lines.where(col(Lineage.BATCH_DATE).equalTo(lit(java.sql.Date.valueOf(day))));
        Dataset<Row> readable = ofDay.where(col(Lineage.MALFORMED).isNull())
                .withColumn("_ts", dateTimes.timestamp(col("invoice_date")));
        Map<Entity, Dataset<Row>> out = new EnumMap<>(Entity.class);
        out.put(Entity.ORDER_ITEMS, orderItems(ofDay));
        out.put(Entity.ORDERS, orders(readable, cancellationPrefix));
        out.put(Entity.PRODUCTS, products(readable));
        out.put(Entity.CUSTOMERS, customers(readable, lines.where(col(Lineage.MALFORMED).isNull()
                .and(col(Lineage.BATCH_DATE).leq(lit(java.sql.Date.valueOf(day))))), dateTimes));
        for (Entity e : List.of(Entity.CAMPAIGNS, Entity.INTERACTIONS, Entity.TICKETS)) {
            out.put(e, shaped(ofDay.limit(0), e, Map.of(), lit(null), lit(null)));
        }
        return out;
    }

    /** Where a line stands in the export: file, then position in the file. */
    private static Column fileOrder() {
        return struct(col(Lineage.SOURCE_FILE), col(InvoiceLine.POSITION));
    }

    /** Latest by invoice date (unreadable dates first), then file order. */
    private static Column latest() {
        return struct(col("_ts"), col(Lineage.SOURCE_FILE), col(InvoiceLine.POSITION));
    }

    private static Dataset<Row> orderItems(Dataset<Row> ofDay) {
        Column lineNo = row_number().over(Window.partitionBy(Normalize.text(col("invoice_no")))
                .orderBy(col(Lineage.SOURCE_FILE), col(InvoiceLine.POSITION)));
        return shaped(ofDay, Entity.ORDER_ITEMS, Map.of(
                        "order_id", col("invoice_no"),
                        "line_no", lineNo.cast(DataTypes.StringType),
                        "product_id", col("product_code"),
                        "quantity", col("quantity"),
                        "unit_price", col("unit_price")),
                col(Lineage.RESCUED), col(Lineage.MALFORMED));
    }

    private static Dataset<Row> orders(Dataset<Row> readable, String prefix) {
        Column invoice = Normalize.text(col("invoice_no"));
        Column amount = Normalize.decimal(col("quantity"), DataTypes.createDecimalType(18, 4))
                .multiply(Normalize.decimal(col("unit_price"), DataTypes.createDecimalType(18, 4)));
        Dataset<Row> invoices = readable.where(invoice.isNotNull())
                .groupBy(invoice.as("_invoice"))
                .agg(min_by(struct(col("invoice_no"), col("customer_id"), col("invoice_date"), col(Lineage.SOURCE_FILE)),
                                fileOrder()).as("first"),
                        sum(amount).as("_total"));
        Column creditNote = prefix.isEmpty() ? lit(false) : upper(col("_invoice")).startsWith(prefix.toUpperCase(java.util.Locale.ROOT));
        return shaped(invoices.withColumn(Lineage.SOURCE_FILE, col("first." + Lineage.SOURCE_FILE)), Entity.ORDERS, Map.of(
                        "order_id", col("first.invoice_no"),
                        "customer_id", col("first.customer_id"),
                        "order_ts", col("first.invoice_date"),
                        "status", when(creditNote, lit("cancelled")).otherwise(lit("completed")),
                        "total_amount", col("_total").cast(DataTypes.createDecimalType(16, 2)).cast(DataTypes.StringType)),
                lit(null), lit(null));
    }

    private static Dataset<Row> products(Dataset<Row> readable) {
        Column code = Normalize.text(col("product_code"));
        Column described = when(Normalize.text(col("description")).isNotNull(), latest());
        Dataset<Row> products = readable.where(code.isNotNull())
                .groupBy(code.as("_code"))
                .agg(max_by(struct(col("product_code"), col("unit_price"), col("invoice_date"), col(Lineage.SOURCE_FILE)),
                                latest()).as("last"),
                        max_by(col("description"), described).as("_name"));
        return shaped(products.withColumn(Lineage.SOURCE_FILE, col("last." + Lineage.SOURCE_FILE)), Entity.PRODUCTS, Map.of(
                        "product_id", col("last.product_code"),
                        "name", col("_name"),
                        "unit_price", col("last.unit_price"),
                        "updated_at", col("last.invoice_date")),
                lit(null), lit(null));
    }

    private static Dataset<Row> customers(Dataset<Row> readable, Dataset<Row> history, DateTimes dateTimes) {
        Column id = Normalize.text(col("customer_id"));
        Dataset<Row> ofDay = readable.where(id.isNotNull())
                .groupBy(id.as("_customer"))
                .agg(max_by(struct(col("customer_id"), col("country"), col("invoice_date"), col(Lineage.SOURCE_FILE)),
                        latest()).as("last"));
        // The first purchase ever seen: the earliest readable invoice date of the customer in bronze.
        Column ts = dateTimes.timestamp(col("invoice_date"));
        Dataset<Row> firstSeen = history.where(id.isNotNull())
                .join(ofDay.select(col("_customer").as("_c")), id.equalTo(col("_c")), "left_semi")
                .withColumn("_ts", ts)
                .where(col("_ts").isNotNull())
                .groupBy(id.as("_customer"))
                .agg(min_by(col("invoice_date"), struct(col("_ts"), col(Lineage.BATCH_DATE), col(Lineage.SOURCE_FILE),
                        col(InvoiceLine.POSITION))).as("_first"));
        Dataset<Row> customers = ofDay.join(firstSeen, "_customer", "left")
                .withColumn(Lineage.SOURCE_FILE, col("last." + Lineage.SOURCE_FILE));
        return shaped(customers, Entity.CUSTOMERS, Map.of(
                        "customer_id", col("last.customer_id"),
                        "country", col("last.country"),
                        // A customer whose every date is unreadable keeps the latest as delivered, for clean to refuse.
                        "signup_date", org.apache.spark.sql.functions.coalesce(col("_first"), col("last.invoice_date")),
                        "updated_at", col("last.invoice_date")),
                lit(null), lit(null));
    }

    /** The entity's canonical columns (given ones, the rest null, all strings) and the bronze extras. */
    private static Dataset<Row> shaped(Dataset<Row> rows, Entity e, Map<String, Column> values, Column rescued,
            Column malformed) {
        List<Column> cols = new ArrayList<>();
        for (String name : e.columnNames()) {
            cols.add(values.getOrDefault(name, lit(null)).cast(DataTypes.StringType).as(name));
        }
        cols.add(rescued.cast(DataTypes.StringType).as(Lineage.RESCUED));
        cols.add(malformed.cast(DataTypes.StringType).as(Lineage.MALFORMED));
        cols.add(col(Lineage.SOURCE_FILE));
        return rows.select(cols.toArray(Column[]::new));
    }
}
