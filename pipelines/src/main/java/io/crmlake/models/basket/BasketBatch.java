package io.crmlake.models.basket;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.features.FeatureInputs;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.AsOf;
import io.crmlake.models.GoldWriter;
import io.crmlake.models.ModelSkipped;
import io.crmlake.models.registry.Json;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.models.registry.ModelVersions;
import io.crmlake.models.registry.RegistryEntry;

/**
 * The basket job for one date: gold.association_rules of the date (replaced), mined with
 * FP-growth from the look-back window on a cadence. Mining reads every order and line of the
 * window (half a year by default), while what sells together moves slowly, so:
 * <ol>
 * <li>a date that mined before (its version is registered) mines again: a re-run with corrected
 *     silver gets corrected rules;</li>
 * <li>else, when the current rules were mined with the same parameters fewer than
 *     {@code retrainEveryDays} before the date, they are carried to the date: the same rules and
 *     model_version under tonight's as_of_date, so readers of a date always find its rules;</li>
 * <li>else the rules are mined and registered; when the window holds no basket the version is
 *     registered as skipped, and the current rules are carried, or without any the job is
 *     skipped ({@link ModelSkipped}).</li>
 * </ol>
 */
public final class BasketBatch {
    public static final String MODEL = "basket";

    private final Lakehouse lakehouse;
    private final BasketParams params;
    private final int retrainEveryDays;

    /** Mines every night. */
    public BasketBatch(Lakehouse lakehouse, BasketParams params) {
        this(lakehouse, params, 1);
    }

    public BasketBatch(Lakehouse lakehouse, BasketParams params, int retrainEveryDays) {
        if (retrainEveryDays < 1) {
            throw new IllegalArgumentException("retrainEveryDays must be positive, not " + retrainEveryDays);
        }
        this.lakehouse = lakehouse;
        this.params = params;
        this.retrainEveryDays = retrainEveryDays;
    }

    /** Returns the number of rules written. */
    public long run(LocalDate asOf, Consumer<String> progress) {
        String describe = describe();
        String version = ModelVersions.of(asOf, describe);
        ModelRegistry registry = new ModelRegistry(lakehouse);
        Optional<RegistryEntry> carried = registry.version(MODEL, version).isPresent()
                ? Optional.empty()
                : registry.currentAsOf(MODEL, asOf).filter(c -> c.params().equals(describe)
                        && ChronoUnit.DAYS.between(c.asOfDate(), asOf) < retrainEveryDays);
        if (carried.isPresent()) {
            return carryForward(carried.get(), asOf, progress);
        }
        FeatureInputs silver = FeatureInputs.fromSilver(lakehouse, asOf);
        BasketInputs in = new BasketInputs(silver.orders(), silver.orderItems(), silver.products());
        if (Baskets.build(in.orders(), in.orderItems(), AsOf.of(asOf), params.lookbackDays()).isEmpty()) {
            String reason = "no baskets: no completed order with products in the " + params.lookbackDays()
                    + " days up to " + asOf;
            registry.skip(MODEL, version, asOf, describe, reason);
            Optional<RegistryEntry> current = registry.currentAsOf(MODEL, asOf);
            if (current.isEmpty()) {
                throw new ModelSkipped(reason);
            }
            progress.accept("mining skipped (" + reason + "): the current rules stay");
            return carryForward(current.get(), asOf, progress);
        }
        long rules = GoldWriter.replaceDate(lakehouse, Table.ASSOCIATION_RULES,
                AssociationRules.mine(in, asOf, params, version), asOf);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rules", rules);
        // A re-run of the date keeps the entry it registered (its status and training time), as
        // the other models do; only a changed rule count (corrected silver) records it again.
        boolean registered = registry.version(MODEL, version).filter(e -> e.metrics().equals(Json.of(metrics)))
                .isPresent();
        if (!registered) {
            registry.promote(new RegistryEntry(MODEL, version, Instant.now(), asOf, describe, Json.of(metrics), "{}",
                    lakehouse.path(Table.ASSOCIATION_RULES), "candidate", null), "mined from the look-back window");
        }
        progress.accept(String.format("gold.association_rules %,d rules (lift >= %.2f) mined as of %s", rules,
                params.minLift(), asOf));
        return rules;
    }

    /** Writes the rules mined on {@code mined}'s date as tonight's. */
    private long carryForward(RegistryEntry mined, LocalDate asOf, Consumer<String> progress) {
        // Read before the overwrite commits; a handful of rows, kept apart from the table they are written to.
        Dataset<Row> rules = lakehouse.read(Table.ASSOCIATION_RULES)
                .where(col("as_of_date").equalTo(lit(Date.valueOf(mined.asOfDate()))))
                .withColumn("as_of_date", lit(Date.valueOf(asOf)))
                .localCheckpoint();
        long written = GoldWriter.replaceDate(lakehouse, Table.ASSOCIATION_RULES, rules, asOf);
        progress.accept(String.format("gold.association_rules %,d rules of %s (mined on %s; mined again every %d days)"
                + " carried to %s", written, mined.modelVersion(), mined.asOfDate(), retrainEveryDays, asOf));
        return written;
    }

    private String describe() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lookback_days", params.lookbackDays());
        p.put("min_support", params.minSupport());
        p.put("min_confidence", params.minConfidence());
        p.put("min_lift", params.minLift());
        return Json.of(p);
    }
}
