package io.crmlake.clean;

import java.util.Map;

import io.crmlake.schema.Entity;

/**
 * Where every landed row of one entity and batch went. DESIGN.md's invariant:
 * landed = inserted + updated + superseded (in the batch) + not newer than silver + quarantined
 * + exact duplicates. {@code landed} is counted on bronze, the other counts on the classified
 * rows, {@code inserted} and {@code updated} are Delta's MERGE metrics, so
 * the check compares independent counts rather than one count with itself.
 *
 * <p>Two breakdowns ride along without changing the sum: {@code cascades} splits the
 * {@code parent_quarantined} rows of {@code quarantineRules} by parent and root cause
 * ("orders: orders.invalid_order_ts"),
 * and {@code guests} counts the accepted rows without a customer (guest checkouts).
 */
public record Reconciliation(
        Entity entity,
        long landed,
        long inserted,
        long updated,
        long superseded,
        long notNewer,
        long quarantined,
        long duplicates,
        Map<String, Long> quarantineRules,
        Map<String, Long> cascades,
        Map<String, Long> warnings,
        long guests) {

    public long accountedFor() {
        return inserted + updated + superseded + notNewer + quarantined + duplicates;
    }

    public boolean holds() {
        return landed == accountedFor();
    }

    /** Rows quarantined only because a parent row was. */
    public long cascaded() {
        return quarantineRules.getOrDefault(Reference.PARENT_QUARANTINED, 0L);
    }

    /** Rows quarantined for a fault of their own: what the quality gate judges. */
    public long ownFaults() {
        return quarantined - cascaded();
    }

    public double quarantineShare() {
        return landed == 0 ? 0.0 : (double) ownFaults() / landed;
    }

    public String describe() {
        return String.format("landed %d = inserted %d + updated %d + superseded %d + not newer %d + quarantined %d + duplicates %d",
                landed, inserted, updated, superseded, notNewer, quarantined, duplicates);
    }
}
