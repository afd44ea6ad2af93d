package io.crmlake.clean;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Referential checks on classified rows: a valid row that points at a customer, order, product
 * or campaign that silver does not hold goes to quarantine under the reference's rule (the first
 * broken reference wins). Orphans are kept, not dropped, so they can be re-delivered or explained.
 * When the row it points at was itself quarantined (today or on an earlier day), the row is not an
 * orphan but a cascade: rule {@code parent_quarantined}, and {@code _details} names the parent
 * (entity, key, rule) and the root cause at the top of the chain, so that the quality gate can judge
 * each entity on its own faults.
 *
 * <p>The keys a reference is checked against are silver's whole history (ten million order ids
 * at a million customers), while an incremental day points at a few thousand of them. For a
 * small day ({@code smallDay}) silver's keys are first cut down to those the day points at, with
 * the day's distinct values broadcast to every task: the history is scanned but never shuffled.
 * A large day (a first full load) would broadcast millions of values, so it joins the usual way.
 * Both give the same rows.
 */
public final class ReferenceCheck {
    /** Landed rows up to which a day counts as small: its distinct reference values broadcast in a few MB. */
    public static final long SMALL_DAY_ROWS = 200_000;

    private ReferenceCheck() {}

    /**
     * Re-labels the orphans of already checked rows whose parent was quarantined: a row under a
     * reference's orphan rule whose key is among the reference's quarantined parents gets
     * {@code parent_quarantined} and its details. The same outcome as {@link #apply} with those
     * parents, without checking the rows again: what a day with orphans needs on top.
     */
    public static Dataset<Row> explainOrphans(Dataset<Row> checked, List<Reference> references, boolean smallDay) {
        Dataset<Row> out = checked;
        for (Reference ref : references) {
            if (ref.quarantinedParents().isEmpty()) {
                continue;
            }
            Dataset<Row> parents = ref.quarantinedParents().get();
            if (smallDay) {
                Dataset<Row> orphans = checked.where(col(EntityCleaner.RULE).equalTo(ref.rule()))
                        .select(col(ref.column()).as(QuarantinedParents.KEY)).distinct();
                parents = broadcast(parents.join(broadcast(orphans), QuarantinedParents.KEY, "left_semi"));
            }
            Column orphan = col(EntityCleaner.RULE).equalTo(ref.rule());
            out = relabelCascades(out.join(parents, orphan.and(col(ref.column()).equalTo(col(QuarantinedParents.KEY))), "left")
                    .drop(QuarantinedParents.KEY), ref, orphan);
        }
        return out;
    }

    /** Rows under {@code orphan} that found a quarantined parent become cascades; the parent's columns go. */
    private static Dataset<Row> relabelCascades(Dataset<Row> joined, Reference ref, Column orphan) {
        Column cascade = orphan.and(col(QuarantinedParents.PARENT_RULE).isNotNull());
        Column details = to_json(struct(
                lit(ref.parentEntity()).as("parent"),
                col(ref.column()).as("parent_key"),
                col(QuarantinedParents.PARENT_RULE).as("parent_rule"),
                col(QuarantinedParents.ROOT_ENTITY).as("root"),
                col(QuarantinedParents.ROOT_RULE).as("root_rule")));
        return joined
                .withColumn(EntityCleaner.DETAILS, when(cascade, details).otherwise(col(EntityCleaner.DETAILS)))
                .withColumn(EntityCleaner.RULE, when(cascade, lit(Reference.PARENT_QUARANTINED)).otherwise(col(EntityCleaner.RULE)))
                .drop(QuarantinedParents.PARENT_RULE, QuarantinedParents.ROOT_ENTITY, QuarantinedParents.ROOT_RULE);
    }

    /**
     * Puts the valid rows whose reference silver does not hold under the reference's orphan rule.
     * Cascades are {@link #explainOrphans}' work, on the checked rows once they are persisted: done
     * here, the orphans it looks for would be computed from this plan a second time.
     */
    public static Dataset<Row> apply(Dataset<Row> classified, List<Reference> references, boolean smallDay) {
        Dataset<Row> out = classified;
        if (!List.of(out.columns()).contains(EntityCleaner.DETAILS)) {
            out = out.withColumn(EntityCleaner.DETAILS, lit(null).cast("string"));
        }
        for (int i = 0; i < references.size(); i++) {
            Reference ref = references.get(i);
            String found = "_found_" + i;
            Dataset<Row> pointedAt = classified.select(col(ref.column()).as("_ref_key"))
                    .where(col("_ref_key").isNotNull()).distinct();
            Dataset<Row> keys = ref.keys().select(ref.keys().col(ref.keys().columns()[0]).as("_ref_key"));
            if (smallDay) {
                keys = keys.join(broadcast(pointedAt), "_ref_key", "left_semi");
            }
            keys = keys.distinct().withColumn(found, lit(true));
            // Columns by name: on a small day both sides descend from the classified rows, where
            // Dataset-bound columns would read as an ambiguous self-join.
            out = out.join(smallDay ? broadcast(keys) : keys, col(ref.column()).equalTo(col("_ref_key")), "left")
                    .drop("_ref_key");
            Column orphan = col(EntityCleaner.OUTCOME).equalTo("valid")
                    .and(col(ref.column()).isNotNull())
                    .and(col(found).isNull());
            out = out
                    .withColumn(EntityCleaner.RULE, when(orphan, lit(ref.rule())).otherwise(col(EntityCleaner.RULE)))
                    .withColumn(EntityCleaner.OUTCOME, when(orphan, lit("quarantine")).otherwise(col(EntityCleaner.OUTCOME)))
                    .drop(found);
        }
        return out;
    }
}
