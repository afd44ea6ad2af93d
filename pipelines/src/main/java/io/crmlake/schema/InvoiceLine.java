package io.crmlake.schema;

import java.util.List;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The canonical columns of a flat invoice-line export, the form most shop systems and tills write:
 * one row per line sold, the invoice's number, date and customer repeated on each. Customers,
 * products, orders and order lines are derived from it (see {@code io.crmlake.ingest.InvoiceLines}).
 * bronze.invoice_lines holds the lines as delivered, every value a string.
 */
public final class InvoiceLine {
    public static final String TABLE = "invoice_lines";

    /** In the order exports usually carry them; an empty customer_id is a guest's purchase. */
    public static final List<Entity.Column> COLUMNS = List.of(
            new Entity.Column("invoice_no", DataTypes.StringType, true, null),
            new Entity.Column("invoice_date", DataTypes.TimestampType, true, null),
            new Entity.Column("customer_id", DataTypes.StringType, false, null),
            new Entity.Column("country", DataTypes.StringType, false, null),
            new Entity.Column("product_code", DataTypes.StringType, true, null),
            new Entity.Column("description", DataTypes.StringType, false, null),
            new Entity.Column("quantity", DataTypes.IntegerType, true, null),
            new Entity.Column("unit_price", Types.MONEY, true, null));

    /** Position of the line in its file (0, 1, ...): the order that numbers an invoice's lines. */
    public static final String POSITION = "_position";

    private InvoiceLine() {}

    public static List<String> columnNames() {
        return COLUMNS.stream().map(Entity.Column::name).toList();
    }

    /** The delivered columns, every one a nullable string. */
    public static StructType rawSchema() {
        return new StructType(COLUMNS.stream()
                .map(c -> new StructField(c.name(), DataTypes.StringType, true, Metadata.empty()))
                .toArray(StructField[]::new));
    }
}
