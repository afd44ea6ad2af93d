package io.crmlake.jobs;

import io.crmlake.config.Settings;
import io.crmlake.features.FeatureParams;
import java.util.OptionalInt;

import io.crmlake.models.basket.BasketParams;
import io.crmlake.models.propensity.PropensityBatch;
import io.crmlake.models.recommend.RecommendBatch;
import io.crmlake.models.recommend.RecommendParams;
import io.crmlake.models.segment.SegmentBatch;
import io.crmlake.models.segment.SegmentParams;
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

    static SegmentBatch.Settings segment(Settings s) {
        Settings.Segment g = s.models().segment();
        SegmentParams model = new SegmentParams(g.features(), g.logFeatures(), g.k(), g.kMin(), g.kMax(), g.seed(),
                g.maxIter(), SegmentParams.defaults().newTenureDays());
        return new SegmentBatch.Settings(model, g.retrainEveryDays());
    }

    static BasketParams basket(Settings s) {
        Settings.Basket b = s.models().basket();
        return new BasketParams(b.lookbackDays(), b.minSupport(), b.minConfidence(), b.minLift(), OptionalInt.empty());
    }

    static RecommendParams recommend(Settings s) {
        Settings.Recommend r = s.models().recommend();
        return new RecommendParams(r.rank(), r.maxIter(), r.regParam(), r.alpha(), r.halfLifeDays(), r.topN(),
                r.excludePurchased(), r.holdoutDays(), r.evalK(), r.seed(), RecommendParams.defaults().popularityDays());
    }

    static RecommendBatch.Settings recommendBatch(Settings s) {
        return new RecommendBatch.Settings(recommend(s), s.models().recommend().retrainEveryDays(),
                s.models().promotionTolerance());
    }
}
