package io.crmlake.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.lakehouse.ConflictRetry;
import io.crmlake.lakehouse.DeltaMetrics;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.schema.Entity;

/**
 * Erases one customer from the lakehouse (the right to erasure): a Delta DELETE of the customer's
 * rows in every bronze, silver and gold table that holds them, recorded in ops.erasures.
 *
 * <p>Which rows are the customer's: every row whose {@code customer_id} is the id (bronze holds the
 * id as delivered, so it is compared trimmed); order lines through the customer's order ids (from
 * bronze and silver orders); quarantined rows through the ids in their raw JSON. A table is found by
 * its columns, not by a list, so a table added later is covered too. Aggregates that name no
 * customer (segment_profiles, segment_transitions, association_rules) are left as they are.
 *
 * <p>Each table is its own Delta commit: a failure half-way leaves some tables erased and the run
 * can simply be repeated (a table without the customer's rows is skipped, no empty commit). The
 * deleted rows stay in the tables' older file versions and change data feed files until VACUUM
 * removes files older than the retention period (docs/operations.md, "Personal data").
 */
public final class CustomerErasure {
    /** ops.erasures: one row per table an erasure looked at, with the rows it deleted there. */
    public static final StructType ERASURES_SCHEMA = new StructType()
            .add("erasure_id", DataTypes.StringType)
            .add("customer_id", DataTypes.StringType)
            .add("erased_at", DataTypes.TimestampType)
            .add("reason", DataTypes.StringType)
            .add("table_name", DataTypes.StringType)
            .add("rows_deleted", DataTypes.LongType);

    public static final Table ERASURES = new Table("ops", "erasures");

    /** Rows deleted in one table. */
    public record Erased(Table table, long rows) {}

    /** What one erasure did: the tables looked at, in order, with their deleted rows. */
    public record Outcome(List<Erased> tables) {
        public long rows() {
            return tables.stream().mapToLong(Erased::rows).sum();
        }

        public long tablesWithRows() {
            return tables.stream().filter(e -> e.rows() > 0).count();
        }
    }

    private static final List<String> DATA_DATABASES = List.of("bronze", "silver", "gold");

    private final Lakehouse lakehouse;

    public CustomerErasure(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
    }

    public Outcome erase(String customerId, String reason, String erasureId, Consumer<String> progress) {
        String id = customerId == null ? "" : customerId.strip();
        if (id.isEmpty()) {
            throw new IllegalArgumentException("the customer id to erase is empty");
        }
        Set<String> orderIds = orderIds(id);
        List<Erased> erased = new ArrayList<>();
        for (Table t : lakehouse.tables()) {
            if (!DATA_DATABASES.contains(t.db())) {
                continue;
            }
            Column rows = customerRows(t, id, orderIds);
            if (rows == null) {
                continue;
            }
            long deleted = delete(t, rows);
            erased.add(new Erased(t, deleted));
            if (deleted > 0) {
                progress.accept(String.format("%-28s %,d rows deleted", t, deleted));
            }
        }
        record(id, reason, erasureId, erased);
        return new Outcome(erased);
    }

    /** The customer's order ids, as bronze and silver know them (bronze may hold some silver refused). */
    private Set<String> orderIds(String id) {
        Set<String> ids = new LinkedHashSet<>();
        for (Table t : List.of(Table.bronze(Entity.ORDERS), Table.silver(Entity.ORDERS))) {
            if (lakehouse.exists(t)) {
                lakehouse.read(t).where(trim(col("customer_id")).equalTo(id))
                        .select(trim(col("order_id"))).distinct().collectAsList()
                        .forEach(r -> {
                            if (!r.isNullAt(0)) {
                                ids.add(r.getString(0));
                            }
                        });
            }
        }
        return ids;
    }

    /** The condition that selects the customer's rows in a table, or null when it holds none by design. */
    private Column customerRows(Table t, String id, Set<String> orderIds) {
        List<String> columns = List.of(lakehouse.read(t).columns());
        if (t.equals(Table.QUARANTINE)) {
            Column rawCustomer = trim(get_json_object(col("raw"), "$.customer_id"));
            Column rawOrder = trim(get_json_object(col("raw"), "$.order_id"));
            Column rows = rawCustomer.equalTo(id).and(col("entity").notEqual("order_items"));
            return orderIds.isEmpty() ? rows : rows.or(col("entity").equalTo("order_items").and(rawOrder.isin(orderIds.toArray())));
        }
        if (columns.contains("customer_id")) {
            return trim(col("customer_id")).equalTo(id);
        }
        if (columns.contains("order_id")) {
            return orderIds.isEmpty() ? lit(false) : trim(col("order_id")).isin(orderIds.toArray());
        }
        return null;
    }

    private long delete(Table t, Column rows) {
        if (lakehouse.read(t).where(rows).isEmpty()) {
            return 0;
        }
        return ConflictRetry.run("erasure in " + t, () -> {
            var table = lakehouse.delta(t);
            table.delete(rows);
            Map<String, String> metrics = DeltaMetrics.latest(table);
            return DeltaMetrics.metric(metrics, "numDeletedRows");
        });
    }

    private void record(String id, String reason, String erasureId, List<Erased> erased) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> rows = new ArrayList<>();
        for (Erased e : erased) {
            rows.add(RowFactory.create(erasureId, id, now, reason == null ? "" : reason, e.table().qualifiedName(),
                    e.rows()));
        }
        lakehouse.createIfMissing(ERASURES, ERASURES_SCHEMA);
        Dataset<Row> df = lakehouse.spark().createDataFrame(rows, ERASURES_SCHEMA).coalesce(1);
        ConflictRetry.run("append to " + ERASURES, () ->
                df.write().format("delta").mode("append").save(lakehouse.path(ERASURES)));
        lakehouse.register(ERASURES);
    }
}
