package io.crmlake.models.recommend;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.features.FeatureInputs;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.GoldWriter;
import io.crmlake.models.registry.Json;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.models.registry.ModelVersions;
import io.crmlake.models.registry.PromotionGate;
import io.crmlake.models.registry.RegistryEntry;

/**
 * The recommend job for one date: ALS is evaluated on the time-based hold-out against the
 * popularity baseline, then re-fitted on everything up to the date. The gate: ALS serves only
 * when its MAP@k is no worse than popularity's (within the tolerance); otherwise the registry
 * records the rejected ALS version with both scores and every customer gets popular products.
 */
public final class RecommendBatch {
    public static final String MODEL = "recommend";

    /** What the night produced. */
    public record Outcome(String modelVersion, boolean alsServes, String reason, long rows) {}

    private final Lakehouse lakehouse;
    private final RecommendParams params;
    private final double tolerance;

    public RecommendBatch(Lakehouse lakehouse, RecommendParams params, double tolerance) {
        this.lakehouse = lakehouse;
        this.params = params;
        this.tolerance = tolerance;
    }

    public Outcome run(LocalDate asOf, Consumer<String> progress) {
        FeatureInputs silver = FeatureInputs.fromSilver(lakehouse);
        RecommendInputs in = new RecommendInputs(silver.customers(), silver.orders(), silver.orderItems());
        String describe = describe();
        String version = ModelVersions.of(asOf, describe);
        RecommendMetrics m = RecommendEvaluation.evaluate(in, asOf, params);
        progress.accept(String.format("hold-out of %d days, %d customers: ALS precision@%d %.3f recall %.3f MAP %.3f; "
                        + "popular precision %.3f recall %.3f MAP %.3f", params.holdoutDays(), m.users(), m.k(),
                m.als().precisionAtK(), m.als().recallAtK(), m.als().mapAtK(), m.popular().precisionAtK(),
                m.popular().recallAtK(), m.popular().mapAtK()));
        PromotionGate.Decision d = new PromotionGate("map_at_k", tolerance).decide(m.als().mapAtK(), m.popular().mapAtK());
        Dataset<Row> recommendations = d.promote()
                ? Recommendations.compute(in, asOf, params, version)
                : Recommendations.popularForAll(in, asOf, params, version);
        long rows = GoldWriter.replaceDate(lakehouse, Table.RECOMMENDATIONS, recommendations, asOf);
        RegistryEntry entry = new RegistryEntry(MODEL, version, Instant.now(), asOf, describe, Json.of(m.alsMap()),
                Json.of(m.popularMap()), lakehouse.path(Table.RECOMMENDATIONS), "candidate", null);
        ModelRegistry registry = new ModelRegistry(lakehouse);
        String reason = "ALS against the popularity baseline: " + d.reason();
        if (d.promote()) {
            registry.promote(entry, reason);
        } else {
            registry.reject(entry, reason + "; popular products served");
        }
        progress.accept(String.format("gold.recommendations %,d rows (%s) as of %s", rows,
                d.promote() ? "ALS, popular for new customers" : "popular for everyone: ALS rejected", asOf));
        return new Outcome(version, d.promote(), reason, rows);
    }

    private String describe() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("rank", params.rank());
        p.put("max_iter", params.maxIter());
        p.put("reg_param", params.regParam());
        p.put("alpha", params.alpha());
        p.put("half_life_days", params.halfLifeDays());
        p.put("top_n", params.topN());
        p.put("exclude_purchased", params.excludePurchased());
        p.put("holdout_days", params.holdoutDays());
        p.put("k", params.k());
        p.put("seed", params.seed());
        return Json.of(p);
    }
}
