package io.crmlake.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import io.crmlake.ingest.ExtraColumns;
import io.crmlake.schema.Entity;

/** The validated settings a job runs with; built only by {@link ConfigLoader}. */
public record Settings(
        String landing,
        String warehouse,
        String exports,
        String source,
        Spark spark,
        Ingest ingest,
        Clean clean,
        Features features,
        Models models,
        Config raw) {

    public record Spark(String master, int shufflePartitions, Map<String, String> conf) {}

    public record Ingest(String successMarker, boolean allowMissingMarker, boolean allowMissingEntity,
                         ExtraColumns extraColumns) {}

    public record Clean(double maxQuarantineShare, Map<String, Double> maxQuarantineShareByEntity,
                        String defaultCountry) {
        /** The quality-gate threshold of one entity. */
        public double maxQuarantineShare(Entity entity) {
            return maxQuarantineShareByEntity.getOrDefault(entity.tableName(), maxQuarantineShare);
        }
    }

    public record Features(int recentDays) {}

    /** Model settings, as conf/application.conf documents them under crmlake.models. */
    public record Models(double promotionTolerance, Segment segment, Basket basket, Propensity propensity,
                         Recommend recommend) {}

    /**
     * @param k                a fixed number of segments, or 0 for "auto" (best silhouette in kMin..kMax)
     * @param retrainEveryDays refit when the current model is this many days old or more; other nights score with it
     */
    public record Segment(List<String> features, List<String> logFeatures, int k, int kMin, int kMax, int maxIter,
                          long seed, int retrainEveryDays) {}

    public record Basket(int lookbackDays, double minSupport, double minConfidence, double minLift, int retrainEveryDays) {}

    public record Propensity(int horizonDays, int retrainEveryDays, int maxIter, int maxDepth, double stepSize,
                             long seed, double holdoutShare, String promotionMetric, List<String> features) {}

    public record Recommend(int rank, int maxIter, double regParam, double alpha, int halfLifeDays, int topN,
                            boolean excludePurchased, int holdoutDays, int evalK, int retrainEveryDays, long seed) {}

    static Settings from(Config c) {
        try {
            Config s = c.getConfig("crmlake");
            return new Settings(
                    nonBlank(s, "landing"),
                    nonBlank(s, "warehouse"),
                    nonBlank(s, "exports"),
                    nonBlank(s, "source"),
                    new Spark(s.getString("spark.master"),
                            positive(s, "spark.shuffle-partitions"),
                            stringMap(s.getConfig("spark.conf"))),
                    new Ingest(nonBlank(s, "ingest.success-marker"),
                            s.getBoolean("ingest.allow-missing-marker"),
                            s.getBoolean("ingest.allow-missing-entity"),
                            ExtraColumns.parse(s.getString("ingest.extra-columns"))),
                    new Clean(share(s, "clean.max-quarantine-share"),
                            shareMap(s, "clean.max-quarantine-share-by-entity"),
                            countryCode(s, "clean.default-country")),
                    new Features(positive(s, "features.recent-days")),
                    models(s),
                    c);
        } catch (ConfigException e) {
            throw new ConfigError("invalid configuration: " + e.getMessage(), e);
        }
    }

    private static Models models(Config s) {
        String k = s.getString("models.segment.k").trim();
        int kMin = positive(s, "models.segment.k-min");
        int kMax = positive(s, "models.segment.k-max");
        int fixedK;
        if (k.equals("auto")) {
            fixedK = 0;
        } else {
            try {
                fixedK = Integer.parseInt(k);
            } catch (NumberFormatException e) {
                throw new ConfigError("crmlake.models.segment.k must be a number of segments or \"auto\", got '" + k + "'");
            }
            if (fixedK < 2) {
                throw new ConfigError("crmlake.models.segment.k must be at least 2, got " + fixedK);
            }
        }
        if (kMin < 2 || kMax < kMin) {
            throw new ConfigError("crmlake.models.segment.k-min and k-max must satisfy 2 <= k-min <= k-max, got "
                    + kMin + " and " + kMax);
        }
        List<String> segmentFeatures = s.getStringList("models.segment.features");
        List<String> logFeatures = s.getStringList("models.segment.log-features");
        for (String f : logFeatures) {
            if (!segmentFeatures.contains(f)) {
                throw new ConfigError("crmlake.models.segment.log-features: '" + f + "' is not in models.segment.features");
            }
        }
        String metric = s.getString("models.propensity.promotion-metric");
        if (!List.of("auc_pr", "auc_roc", "lift_top_decile").contains(metric)) {
            throw new ConfigError("crmlake.models.propensity.promotion-metric must be auc_pr, auc_roc or lift_top_decile, got '"
                    + metric + "'");
        }
        return new Models(
                share(s, "models.promotion-tolerance"),
                new Segment(segmentFeatures, logFeatures, fixedK, kMin, kMax, positive(s, "models.segment.max-iter"),
                        s.getLong("models.segment.seed"), positive(s, "models.segment.retrain-every-days")),
                new Basket(positive(s, "models.basket.lookback-days"), share(s, "models.basket.min-support"),
                        share(s, "models.basket.min-confidence"), s.getDouble("models.basket.min-lift"),
                        positive(s, "models.basket.retrain-every-days")),
                new Propensity(positive(s, "models.propensity.horizon-days"),
                        positive(s, "models.propensity.retrain-every-days"), positive(s, "models.propensity.max-iter"),
                        positive(s, "models.propensity.max-depth"), s.getDouble("models.propensity.step-size"),
                        s.getLong("models.propensity.seed"), share(s, "models.propensity.holdout-share"), metric,
                        s.getStringList("models.propensity.features")),
                new Recommend(positive(s, "models.recommend.rank"), positive(s, "models.recommend.max-iter"),
                        s.getDouble("models.recommend.reg-param"), s.getDouble("models.recommend.alpha"),
                        positive(s, "models.recommend.half-life-days"), positive(s, "models.recommend.top-n"),
                        s.getBoolean("models.recommend.exclude-purchased"), positive(s, "models.recommend.holdout-days"),
                        positive(s, "models.recommend.eval-k"), positive(s, "models.recommend.retrain-every-days"),
                        s.getLong("models.recommend.seed")));
    }

    private static String nonBlank(Config s, String key) {
        String value = s.getString(key);
        if (value.isBlank()) {
            throw new ConfigError("crmlake." + key + " must not be empty");
        }
        return value;
    }

    private static int positive(Config s, String key) {
        int value = s.getInt(key);
        if (value <= 0) {
            throw new ConfigError("crmlake." + key + " must be positive, got " + value);
        }
        return value;
    }

    private static double share(Config s, String key) {
        double value = s.getDouble(key);
        if (value < 0 || value > 1) {
            throw new ConfigError("crmlake." + key + " must be between 0 and 1, got " + value);
        }
        return value;
    }

    private static Map<String, Double> shareMap(Config s, String key) {
        Map<String, Double> shares = new TreeMap<>();
        for (String entity : s.getConfig(key).root().keySet()) {
            try {
                Entity.fromName(entity);
            } catch (IllegalArgumentException e) {
                throw new ConfigError("crmlake." + key + "." + entity + ": " + e.getMessage());
            }
            shares.put(entity, share(s, key + ".\"" + entity + "\""));
        }
        return shares;
    }

    private static String countryCode(Config s, String key) {
        String value = s.getString(key);
        if (!value.matches("[A-Z]{2}")) {
            throw new ConfigError("crmlake." + key + " must be an ISO 3166-1 alpha-2 code such as US, got '" + value + "'");
        }
        return value;
    }

    private static Map<String, String> stringMap(Config section) {
        Map<String, String> values = new LinkedHashMap<>();
        section.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> values.put(unquote(e.getKey()), String.valueOf(e.getValue().unwrapped())));
        return values;
    }

    private static String unquote(String key) {
        return key.replace("\"", "");
    }
}
