package io.crmlake.models.basket;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.crmlake.features.FeatureInputs;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.GoldWriter;
import io.crmlake.models.registry.Json;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.models.registry.ModelVersions;
import io.crmlake.models.registry.RegistryEntry;

/** The basket job for one date: FP-growth rules of the look-back window into gold.association_rules (the date replaced). */
public final class BasketBatch {
    public static final String MODEL = "basket";

    private final Lakehouse lakehouse;
    private final BasketParams params;

    public BasketBatch(Lakehouse lakehouse, BasketParams params) {
        this.lakehouse = lakehouse;
        this.params = params;
    }

    /** Returns the number of rules written. */
    public long run(LocalDate asOf, Consumer<String> progress) {
        FeatureInputs silver = FeatureInputs.fromSilver(lakehouse, asOf);
        String describe = describe();
        String version = ModelVersions.of(asOf, describe);
        long rules = GoldWriter.replaceDate(lakehouse, Table.ASSOCIATION_RULES,
                AssociationRules.mine(new BasketInputs(silver.orders(), silver.orderItems(), silver.products()), asOf,
                        params, version), asOf);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rules", rules);
        ModelRegistry registry = new ModelRegistry(lakehouse);
        // A re-run of the date keeps the entry it registered (its status and training time), as
        // the other models do; only a changed rule count (corrected silver) records it again.
        boolean registered = registry.version(MODEL, version).filter(e -> e.metrics().equals(Json.of(metrics)))
                .isPresent();
        if (!registered) {
            registry.promote(new RegistryEntry(MODEL, version, Instant.now(), asOf, describe, Json.of(metrics), "{}",
                    lakehouse.path(Table.ASSOCIATION_RULES), "candidate", null), "mined nightly from the look-back window");
        }
        progress.accept(String.format("gold.association_rules %,d rules (lift >= %.2f) as of %s", rules,
                params.minLift(), asOf));
        return rules;
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
