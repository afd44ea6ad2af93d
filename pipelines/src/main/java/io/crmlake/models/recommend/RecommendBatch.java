package io.crmlake.models.recommend;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.features.FeatureInputs;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.GoldWriter;
import io.crmlake.models.ModelSkipped;
import io.crmlake.models.registry.Json;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.models.registry.ModelVersions;
import io.crmlake.models.registry.PromotionGate;
import io.crmlake.models.registry.RegistryEntry;

/**
 * The recommend job for one date, run like the propensity job: retrain on a cadence behind a
 * promotion gate, serve nightly with the current saved model.
 *
 * <ol>
 * <li>A re-run of a date finds the version it registered and does not retrain. Otherwise, when
 *     the current ALS model was trained fewer than {@code retrainEveryDays} before the date, it
 *     keeps serving.</li>
 * <li>Else a candidate is trained. Its parameters are judged on the time-based hold-out
 *     ({@link RecommendEvaluation}: fitted up to date − holdout days, MAP@k on the purchases
 *     after). It is promoted only when its MAP@k is no worse (within the tolerance) than both the
 *     popularity baseline and the current model on that same hold-out. The current model is
 *     measured the only leak-free way: refitted with its recorded parameters on the same
 *     training window (the saved model itself has seen the hold-out purchases). With unchanged
 *     parameters that gives the candidate's own figure, so a retrain on fresh data passes unless
 *     ALS has fallen behind popularity. Either way the candidate, fitted on everything up to the
 *     date, is saved under models/recommend/&lt;version&gt; and recorded with both scores.</li>
 * <li>gold.recommendations for the date: the current model's top N for the customers it knows,
 *     with what they bought up to the date left out; popular products for everyone else, or for
 *     everyone while no ALS model has passed the gate.</li>
 * </ol>
 * A candidate that nobody in the hold-out could judge is registered as skipped (the night serves
 * as before); a night without any purchase of a known customer skips the job ({@link ModelSkipped}).
 */
public final class RecommendBatch {
    public static final String MODEL = "recommend";
    private static final String METRIC = "map_at_k";

    /** Job settings around the model: cadence and gate. */
    public record Settings(RecommendParams model, int retrainEveryDays, double promotionTolerance) {}

    /** What the night did: the version that served (empty: popularity), and the decision in words. */
    public record Outcome(Optional<String> servingVersion, String decision, long rows) {}

    private final Lakehouse lakehouse;
    private final Settings settings;
    private final ModelRegistry registry;

    public RecommendBatch(Lakehouse lakehouse, Settings settings) {
        this.lakehouse = lakehouse;
        this.settings = settings;
        this.registry = new ModelRegistry(lakehouse);
    }

    public Outcome run(LocalDate asOf, Consumer<String> progress) {
        FeatureInputs silver = FeatureInputs.fromSilver(lakehouse, asOf);
        RecommendInputs in = new RecommendInputs(silver.customers(), silver.orders(), silver.orderItems());
        RecommendParams params = settings.model();
        String version = ModelVersions.of(asOf, Json.of(params.toMap()));
        Dataset<Row> strengths = Recommendations.strengths(in, asOf, params);
        if (strengths.isEmpty()) {
            String reason = "no purchases of known customers up to " + asOf + ": nothing to learn or recommend from";
            registry.skip(MODEL, version, asOf, Json.of(params.toMap()), reason);
            throw new ModelSkipped(reason);
        }
        // The model that served this date; tonight the current one (see ModelRegistry.currentAsOf).
        Optional<RegistryEntry> current = registry.currentAsOf(MODEL, asOf);
        String decision;
        if (registry.version(MODEL, version).isPresent()) {
            decision = "version " + version + " already registered for this date and parameters: not retrained";
        } else if (current.isPresent()
                && ChronoUnit.DAYS.between(current.get().asOfDate(), asOf) < settings.retrainEveryDays()) {
            decision = "current model " + current.get().modelVersion() + " trained on " + current.get().asOfDate()
                    + " (retrain every " + settings.retrainEveryDays() + " days): not retrained";
        } else {
            decision = trainCandidate(in, strengths, asOf, version, progress, current);
        }
        progress.accept(decision);

        Optional<RegistryEntry> serving = registry.currentAsOf(MODEL, asOf);
        Dataset<Row> recommendations = serving.isPresent()
                ? Recommendations.serve(in, asOf, params, AlsRecommender.load(serving.get().path(), strengths),
                        serving.get().modelVersion())
                : Recommendations.popularForAll(in, asOf, params, version);
        long rows = GoldWriter.replaceDate(lakehouse, Table.RECOMMENDATIONS, recommendations, asOf);
        progress.accept(String.format("gold.recommendations %,d rows as of %s: %s", rows, asOf, serving
                .map(s -> "ALS " + s.modelVersion() + ", popular products for customers it does not know")
                .orElse("popular products for everyone, no ALS model has passed the gate")));
        return new Outcome(serving.map(RegistryEntry::modelVersion), decision, rows);
    }

    private String trainCandidate(RecommendInputs in, Dataset<Row> strengths, LocalDate asOf, String version,
                                  Consumer<String> progress, Optional<RegistryEntry> current) {
        RecommendParams params = settings.model();
        RecommendMetrics m = RecommendEvaluation.evaluate(in, asOf, params);
        if (m.users() == 0) {
            // Nothing to judge a candidate on, so nothing may be promoted: the night serves as it was.
            String reason = "no customer to judge a candidate on: nobody with purchases before " + asOf.minusDays(
                    params.holdoutDays()) + " bought a product new to them in the " + params.holdoutDays()
                    + " hold-out days up to " + asOf;
            registry.skip(MODEL, version, asOf, Json.of(params.toMap()), reason);
            return "retrain skipped (" + reason + "): " + current.map(c -> c.modelVersion() + " keeps serving")
                    .orElse("popular products for everyone");
        }
        progress.accept(String.format("hold-out of %d days, %d customers: ALS precision@%d %.3f recall %.3f MAP %.3f; "
                        + "popular precision %.3f recall %.3f MAP %.3f", params.holdoutDays(), m.users(), m.k(),
                m.als().precisionAtK(), m.als().recallAtK(), m.als().mapAtK(), m.popular().precisionAtK(),
                m.popular().recallAtK(), m.popular().mapAtK()));
        PromotionGate gate = new PromotionGate(METRIC, settings.promotionTolerance());
        PromotionGate.Decision vsPopular = gate.decide(m.als().mapAtK(), m.popular().mapAtK(), "popularity baseline");
        Optional<PromotionGate.Decision> vsCurrent = current.map(c -> gate.decide(m.als().mapAtK(),
                currentOnTheSameHoldOut(c, in, asOf, m), "current " + c.modelVersion()));
        boolean promote = vsPopular.promote() && vsCurrent.map(PromotionGate.Decision::promote).orElse(true);
        String reason = vsPopular.reason() + vsCurrent.map(d -> "; " + d.reason()).orElse("");

        String path = lakehouse.modelPath(MODEL, version);
        AlsRecommender.fit(strengths, params).save(path);
        RegistryEntry candidate = new RegistryEntry(MODEL, version, Instant.now(), asOf, Json.of(params.toMap()),
                Json.of(m.alsMap()), Json.of(m.popularMap()), path, "candidate", null);
        if (promote) {
            registry.promote(candidate, reason);
            return "promoted " + version + ": " + reason;
        }
        registry.reject(candidate, reason);
        return "rejected " + version + ": " + reason;
    }

    /**
     * MAP@k of the current model's parameters on the candidate's hold-out (evaluated with the
     * candidate's hold-out days, k and exclusion): the candidate's own figure when the parameters
     * are the same (same data, same seed, same fit), else a refit.
     */
    private double currentOnTheSameHoldOut(RegistryEntry current, RecommendInputs in, LocalDate asOf,
                                           RecommendMetrics candidate) {
        RecommendParams params = RecommendParams.fromMap(Json.parse(current.params()), settings.model())
                .evaluatedAs(settings.model());
        return params.equals(settings.model())
                ? candidate.als().mapAtK()
                : RecommendEvaluation.evaluate(in, asOf, params).als().mapAtK();
    }
}
