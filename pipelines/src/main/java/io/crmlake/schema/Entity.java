package io.crmlake.schema;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The seven canonical CRM entities of DESIGN.md: their columns in canonical order, their keys,
 * which columns must be present in an export, and the type each column has in silver.
 * Bronze holds every column as a string; silver holds the types declared here.
 */
public enum Entity {
    CUSTOMERS("customers", List.of("customer_id"), "updated_at",
            col("customer_id", DataTypes.StringType, true),
            col("first_name", DataTypes.StringType, false),
            col("last_name", DataTypes.StringType, false),
            col("email", DataTypes.StringType, false),
            col("phone", DataTypes.StringType, false),
            col("gender", DataTypes.StringType, false),
            col("birth_date", DataTypes.DateType, false),
            col("city", DataTypes.StringType, false),
            col("country", DataTypes.StringType, false),
            col("signup_date", DataTypes.DateType, true),
            col("marketing_opt_in", DataTypes.BooleanType, false),
            col("updated_at", DataTypes.TimestampType, true)),
    PRODUCTS("products", List.of("product_id"), "updated_at",
            col("product_id", DataTypes.StringType, true),
            // Many shops keep no category, some products no name: optional, the category "unknown".
            col("name", DataTypes.StringType, false),
            col("category", DataTypes.StringType, false, "unknown"),
            col("brand", DataTypes.StringType, false),
            col("unit_price", Types.MONEY, true),
            col("updated_at", DataTypes.TimestampType, true)),
    CAMPAIGNS("campaigns", List.of("campaign_id"), null,
            col("campaign_id", DataTypes.StringType, true),
            col("name", DataTypes.StringType, false),
            col("channel", DataTypes.StringType, false),
            col("start_date", DataTypes.DateType, false),
            col("end_date", DataTypes.DateType, false)),
    ORDERS("orders", List.of("order_id"), null,
            col("order_id", DataTypes.StringType, true),
            // Empty: a guest checkout, a valid order of nobody the CRM knows.
            col("customer_id", DataTypes.StringType, false),
            col("order_ts", DataTypes.TimestampType, true),
            col("channel", DataTypes.StringType, false),
            col("status", DataTypes.StringType, true),
            col("currency", DataTypes.StringType, false),
            col("total_amount", Types.MONEY, true)),
    ORDER_ITEMS("order_items", List.of("order_id", "line_no"), null,
            col("order_id", DataTypes.StringType, true),
            col("line_no", DataTypes.IntegerType, true),
            col("product_id", DataTypes.StringType, true),
            col("quantity", DataTypes.IntegerType, true),
            col("unit_price", Types.MONEY, true),
            col("discount", Types.RATE, false)),
    INTERACTIONS("interactions", List.of("event_id"), null,
            col("event_id", DataTypes.StringType, true),
            col("customer_id", DataTypes.StringType, true),
            col("campaign_id", DataTypes.StringType, false),
            col("channel", DataTypes.StringType, false),
            col("event_type", DataTypes.StringType, true),
            col("event_ts", DataTypes.TimestampType, true)),
    TICKETS("tickets", List.of("ticket_id"), null,
            col("ticket_id", DataTypes.StringType, true),
            col("customer_id", DataTypes.StringType, true),
            col("created_ts", DataTypes.TimestampType, true),
            col("channel", DataTypes.StringType, false),
            col("category", DataTypes.StringType, false),
            col("priority", DataTypes.StringType, false),
            col("status", DataTypes.StringType, false),
            col("satisfaction", DataTypes.IntegerType, false),
            col("text", DataTypes.StringType, false));

    /**
     * A canonical column: its silver type, whether an export must carry it, and the value an
     * empty one takes (null: none; a source mapping's {@code defaults} may give one).
     */
    public record Column(String name, DataType type, boolean required, String defaultValue) {}

    private final String tableName;
    private final List<String> keys;
    private final String updatedAtColumn;
    private final List<Column> columns;

    Entity(String tableName, List<String> keys, String updatedAtColumn, Column... columns) {
        this.tableName = tableName;
        this.keys = keys;
        this.updatedAtColumn = updatedAtColumn;
        this.columns = List.of(columns);
    }

    private static Column col(String name, DataType type, boolean required) {
        return new Column(name, type, required, null);
    }

    private static Column col(String name, DataType type, boolean required, String defaultValue) {
        return new Column(name, type, required, defaultValue);
    }

    /** The column of that name; fails for a name the entity does not have. */
    public Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " is not a column of " + tableName));
    }

    /** Table and landing-folder name, e.g. {@code order_items}. */
    public String tableName() {
        return tableName;
    }

    public List<String> keys() {
        return keys;
    }

    /**
     * The column whose latest value wins when a key arrives twice; empty for entities whose
     * exports carry no such column (then the later batch wins).
     */
    public Optional<String> updatedAtColumn() {
        return Optional.ofNullable(updatedAtColumn);
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    public List<String> requiredColumnNames() {
        return columns.stream().filter(Column::required).map(Column::name).toList();
    }

    /** Bronze schema of the canonical columns: every column a nullable string. */
    public StructType rawSchema() {
        return new StructType(columns.stream()
                .map(c -> new StructField(c.name(), DataTypes.StringType, true,
                        org.apache.spark.sql.types.Metadata.empty()))
                .toArray(StructField[]::new));
    }

    /** Silver schema of the canonical columns, typed. */
    public StructType typedSchema() {
        return new StructType(columns.stream()
                .map(c -> new StructField(c.name(), c.type(), true,
                        org.apache.spark.sql.types.Metadata.empty()))
                .toArray(StructField[]::new));
    }

    /** Entities in the order clean must process them: dimensions before the facts that point at them. */
    public static List<Entity> inDependencyOrder() {
        return List.of(CUSTOMERS, PRODUCTS, CAMPAIGNS, ORDERS, ORDER_ITEMS, INTERACTIONS, TICKETS);
    }

    public static Entity fromName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.tableName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown entity '" + name
                        + "'; known: " + Arrays.stream(values()).map(Entity::tableName).toList()));
    }
}
