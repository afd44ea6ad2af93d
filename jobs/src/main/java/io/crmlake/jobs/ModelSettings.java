package io.crmlake.jobs;

import io.crmlake.config.Settings;
import io.crmlake.features.FeatureParams;
import io.crmlake.models.propensity.PropensityBatch;
import io.crmlake.models.propensity.PropensityParams;

/** Translates the validated configuration into the model stages' parameter records. */
final class ModelSettings {
    private ModelSettings() {}

    static FeatureParams features(Settings s) {
        return new FeatureParams(s.features().recentDays());
    }

    static PropensityBatch.Settings propensity(Settings s) {
        Settings.Propensity p = s.models().propensity();
        PropensityParams model = new PropensityParams(p.horizonDays(), p.features(), p.maxIter(), p.maxDepth(),
                p.stepSize(), p.holdoutShare(), p.seed());
        return new PropensityBatch.Settings(model, features(s), p.retrainEveryDays(), p.promotionMetric(),
                s.models().promotionTolerance());
    }
}
