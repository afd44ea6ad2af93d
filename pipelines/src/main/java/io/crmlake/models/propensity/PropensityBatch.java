package io.crmlake.models.propensity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.features.FeatureInputs;
import io.crmlake.features.FeatureParams;
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
 * The propensity job's work for one batch date: retrain when the cadence says so (the candidate
 * is registered, and promoted only through the {@link PromotionGate}), then score every customer
 * of gold.customer_features for the date with the current model into gold.purchase_propensity
 * (the date's rows replaced in one commit). A re-run of a date finds the version it registered
 * and does not retrain, so it writes the same scores. When the history cannot train a model
 * (shorter than two horizons, one class only) the registry records the version as skipped; the
 * current model keeps scoring, and without one the job is skipped ({@link ModelSkipped}).
 */
public final class PropensityBatch {
    public static final String MODEL = "propensity";

    /** Job settings around the model: cadence and gate. */
    public record Settings(PropensityParams model, FeatureParams features, int retrainEveryDays, String promotionMetric,
                           double promotionTolerance) {}

    /** What the night did: which version scored, whether a candidate was trained and what became of it. */
    public record Outcome(String scoringVersion, String candidateVersion, String decision, long scored) {}

    private final Lakehouse lakehouse;
    private final Settings settings;
    private final ModelRegistry registry;

    public PropensityBatch(Lakehouse lakehouse, Settings settings) {
        this.lakehouse = lakehouse;
        this.settings = settings;
        this.registry = new ModelRegistry(lakehouse);
    }

    public Outcome run(LocalDate asOf, Consumer<String> progress) {
        Dataset<Row> features = GoldWriter.featuresOf(lakehouse, asOf);
        // The model that served this date; tonight the current one (see ModelRegistry.currentAsOf).
        Optional<RegistryEntry> current = registry.currentAsOf(MODEL, asOf);
        String version = ModelVersions.of(asOf, settings.model().describe());
        String decision;
        if (registry.version(MODEL, version).isPresent()) {
            decision = "version " + version + " already registered for this date and parameters: not retrained";
        } else if (current.isPresent()
                && ChronoUnit.DAYS.between(current.get().asOfDate(), asOf) < settings.retrainEveryDays()) {
            decision = "current model " + current.get().modelVersion() + " trained on " + current.get().asOfDate()
                    + " (retrain every " + settings.retrainEveryDays() + " days): not retrained";
        } else {
            decision = trainCandidate(asOf, version, current, progress);
        }
        progress.accept(decision);
        RegistryEntry scoring = registry.currentAsOf(MODEL, asOf).orElseThrow(() -> new IllegalStateException(
                "no current propensity model in gold.model_registry: " + decision));
        PipelineModel model = PipelineModel.load(scoring.path());
        Dataset<Row> scores = PropensityScoring.score(model, features, asOf, settings.model().horizonDays(),
                scoring.modelVersion());
        scores.write().format("delta").mode("overwrite")
                .option("replaceWhere", "as_of_date = DATE'" + asOf + "'")
                .partitionBy("as_of_date")
                .save(lakehouse.path(Table.PURCHASE_PROPENSITY));
        lakehouse.register(Table.PURCHASE_PROPENSITY);
        long scored = lakehouse.read(Table.PURCHASE_PROPENSITY).where(col("as_of_date").equalTo(lit(Date.valueOf(asOf))))
                .count();
        progress.accept(String.format("gold.purchase_propensity %,d customers as of %s scored by %s", scored, asOf,
                scoring.modelVersion()));
        return new Outcome(scoring.modelVersion(), version, decision, scored);
    }

    private String trainCandidate(LocalDate asOf, String version, Optional<RegistryEntry> current,
            Consumer<String> progress) {
        FeatureInputs inputs = FeatureInputs.fromSilver(lakehouse, asOf);
        PropensityTraining.Result r;
        try {
            r = PropensityTraining.train(inputs, asOf, settings.model(), settings.features());
        } catch (ModelSkipped skipped) {
            registry.skip(MODEL, version, asOf, settings.model().describe(), skipped.getMessage());
            if (current.isEmpty()) {
                throw skipped;
            }
            return "retrain skipped (" + skipped.getMessage() + "): " + current.get().modelVersion() + " keeps scoring";
        }
        progress.accept(String.format("trained %s on cut-off %s (%,d customers): out-of-time AUC-ROC %.3f, AUC-PR %.3f, "
                        + "top-decile lift %.2f; logistic AUC-PR %.3f; recency rule AUC-PR %.3f",
                version, r.trainCutoff(), r.trainRows(), r.outOfTime().aucRoc(), r.outOfTime().aucPr(),
                r.outOfTime().liftTopDecile(), r.logisticOutOfTime().aucPr(), r.recencyOutOfTime().aucPr()));
        String path = lakehouse.modelPath(MODEL, version);
        try {
            r.model().write().overwrite().save(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the propensity model to " + path, e);
        }
        RegistryEntry candidate = new RegistryEntry(MODEL, version, Instant.now(), asOf,
                settings.model().describe(), Json.of(metrics(r)), Json.of(baselines(r)), path, "candidate", null);
        String metric = settings.promotionMetric();
        double candidateValue = r.outOfTime().metric(metric);
        if (current.isEmpty()) {
            registry.promote(candidate, String.format("first model: out-of-time %s %.4f", metric, candidateValue));
            return "registered " + version + " as the first propensity model";
        }
        PipelineModel currentModel = PipelineModel.load(current.get().path());
        double currentValue = PropensityTraining.validate(currentModel, inputs, asOf, settings.model(),
                settings.features()).metric(metric);
        PromotionGate.Decision d = new PromotionGate(metric, settings.promotionTolerance())
                .decide(candidateValue, currentValue);
        if (d.promote()) {
            registry.promote(candidate, d.reason());
            return "promoted " + version + ": " + d.reason();
        }
        registry.reject(candidate, d.reason());
        return "rejected " + version + ": " + d.reason();
    }

    private static Map<String, Object> metrics(PropensityTraining.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_cutoff", r.trainCutoff().toString());
        m.put("validation_cutoff", r.validationCutoff().toString());
        m.put("train_rows", r.trainRows());
        r.outOfTime().asMap().forEach((k, v) -> m.put("out_of_time_" + k, v));
        r.heldOut().asMap().forEach((k, v) -> m.put("held_out_" + k, v));
        return m;
    }

    private static Map<String, Object> baselines(PropensityTraining.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        r.logisticOutOfTime().asMap().forEach((k, v) -> m.put("logistic_" + k, v));
        r.recencyOutOfTime().asMap().forEach((k, v) -> m.put("recency_rule_" + k, v));
        return m;
    }
}
