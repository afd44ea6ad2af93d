package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;

/**
 * silver.<entity>_versions for the entities whose records change (those with an updated_at:
 * customers, products): every accepted version of every record with the batch that delivered
 * it. silver.<entity> keeps only the latest version, which is what tonight needs; a re-run or
 * backfill of a past date needs what silver held then, and {@link #asOf} gives exactly that: per
 * key the version silver's own merge rule would have kept from the batches up to that date. So a
 * customer who changed their opt-in on day 3 still has day 1's opt-in in day 1's features, whenever
 * day 1 is run again.
 *
 * <p>Keyed on (key, updated_at, batch date): re-cleaning a day replaces its versions instead of
 * adding them again, and a corrected re-delivery of a day (same version, other content) replaces
 * that day's version, as it does in silver.
 */
public final class SilverVersions {
    private final Lakehouse lakehouse;
    private final Entity entity;

    public SilverVersions(Lakehouse lakehouse, Entity entity) {
        if (entity.updatedAtColumn().isEmpty()) {
            throw new IllegalArgumentException(entity.tableName() + " has no updated_at: its records do not change");
        }
        this.lakehouse = lakehouse;
        this.entity = entity;
    }

    public static boolean kept(Entity e) {
        return e.updatedAtColumn().isPresent();
    }

    public static Table table(Entity e) {
        return new Table("silver", e.tableName() + "_versions");
    }

    /** Records the batch's valid rows (already shaped like silver) as versions. */
    public void merge(Dataset<Row> valid) {
        Table t = table(entity);
        // The first day: nothing to match, so one write creates the table with the versions.
        if (lakehouse.createWith(t, valid, SilverMerge.silverSchema(entity))) {
            return;
        }
        List<String> match = new ArrayList<>();
        entity.keys().forEach(k -> match.add("t." + k + " = s." + k));
        String u = entity.updatedAtColumn().orElseThrow();
        match.add("t." + u + " <=> s." + u);
        match.add("t." + Lineage.BATCH_DATE + " = s." + Lineage.BATCH_DATE);
        lakehouse.delta(t).as("t")
                .merge(valid.as("s"), String.join(" AND ", match))
                .whenMatched("s." + Lineage.ROW_HASH + " <> t." + Lineage.ROW_HASH).updateAll()
                .whenNotMatched().insertAll()
                .execute();
        lakehouse.register(t);
    }

    /**
     * What silver.<entity> held after the batches up to {@code asOf} were cleaned: per key the
     * version with the latest updated_at, a later batch winning a tie (SilverMerge's rule). Falls
     * back to silver.<entity> itself for a warehouse cleaned before versions were kept.
     */
    public static Dataset<Row> asOf(Lakehouse lakehouse, Entity entity, LocalDate asOf) {
        Table t = table(entity);
        if (!lakehouse.exists(t)) {
            return lakehouse.read(Table.silver(entity));
        }
        String u = entity.updatedAtColumn().orElseThrow();
        Column[] keys = entity.keys().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        return lakehouse.read(t)
                .where(col(Lineage.BATCH_DATE).leq(lit(Date.valueOf(asOf))))
                .withColumn("_version_rank", row_number().over(Window.partitionBy(keys)
                        .orderBy(col(u).desc_nulls_last(), col(Lineage.BATCH_DATE).desc())))
                .where(col("_version_rank").equalTo(1))
                .drop("_version_rank");
    }
}
