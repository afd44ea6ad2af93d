package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;

/**
 * Upserts a batch's valid rows into silver.<entity> with one Delta MERGE keyed on the entity's
 * key. A row replaces the stored one only when it is newer (later updated_at, or for entities
 * without one a later batch), or when the same version of the same batch arrives with other
 * content (a corrected re-delivery of that day). So an older record that arrives late never
 * overwrites a newer one, and re-running a day changes nothing.
 */
public final class SilverMerge {
    /** Counts of one merge: what Delta inserted and updated, and what was not newer than silver. */
    public record Outcome(long inserted, long updated, long notNewer) {}

    private final Lakehouse lakehouse;
    private final Entity entity;

    public SilverMerge(Lakehouse lakehouse, Entity entity) {
        this.lakehouse = lakehouse;
        this.entity = entity;
    }

    public static StructType silverSchema(Entity e) {
        return e.typedSchema()
                .add(Lineage.ROW_HASH, DataTypes.LongType)
                .add("_warnings", DataTypes.createArrayType(DataTypes.StringType))
                .add(Lineage.SOURCE_FILE, DataTypes.StringType)
                .add(Lineage.BATCH_DATE, DataTypes.DateType)
                .add(Lineage.RUN_ID, DataTypes.StringType);
    }

    /**
     * Merges the valid rows, {@code validRows} of them (counted by the caller on the same data).
     * Every valid row either matches a stored key or not: unmatched rows are inserted, matched
     * rows are updated when newer, so the rest are the ones not newer than silver.
     */
    public Outcome merge(Dataset<Row> valid, long validRows) {
        Table table = Table.silver(entity);
        if (validRows == 0) {
            lakehouse.createIfMissing(table, silverSchema(entity));
            return new Outcome(0, 0, 0);
        }
        Dataset<Row> source = shaped(valid, entity);
        // The first day: a MERGE into an empty table inserts every row, so one write creates it with them.
        if (lakehouse.createWith(table, source, silverSchema(entity))) {
            return new Outcome(validRows, 0, 0);
        }
        Row metrics = lakehouse.delta(table).as("t")
                .merge(source.as("s"), keyMatch())
                .whenMatched(newerCondition()).updateAll()
                .whenNotMatched().insertAll()
                .execute()
                .first();
        long inserted = metrics.getAs("num_inserted_rows");
        long updated = metrics.getAs("num_updated_rows");
        if (inserted + updated > validRows) {
            throw new IllegalStateException("MERGE into " + table + " reports " + inserted + " inserted and " + updated
                    + " updated rows from " + validRows + " source rows");
        }
        return new Outcome(inserted, updated, validRows - inserted - updated);
    }

    /** The valid rows as silver stores them: its columns, in its order. */
    static Dataset<Row> shaped(Dataset<Row> valid, Entity entity) {
        List<Column> cols = new ArrayList<>();
        for (var f : silverSchema(entity).fields()) {
            cols.add(col(f.name()));
        }
        return valid.select(cols.toArray(Column[]::new));
    }

    private String keyMatch() {
        List<String> parts = new ArrayList<>();
        entity.keys().forEach(k -> parts.add("t." + k + " = s." + k));
        return String.join(" AND ", parts);
    }

    private String newerCondition() {
        String sameContentOrOlderBatch = "(s." + Lineage.ROW_HASH + " <> t." + Lineage.ROW_HASH
                + " AND s." + Lineage.BATCH_DATE + " >= t." + Lineage.BATCH_DATE + ")";
        return entity.updatedAtColumn()
                .map(u -> "s." + u + " > t." + u + " OR (s." + u + " = t." + u + " AND " + sameContentOrOlderBatch + ")")
                .orElse("s." + Lineage.BATCH_DATE + " > t." + Lineage.BATCH_DATE
                        + " OR (s." + Lineage.BATCH_DATE + " = t." + Lineage.BATCH_DATE
                        + " AND s." + Lineage.ROW_HASH + " <> t." + Lineage.ROW_HASH + ")");
    }
}
