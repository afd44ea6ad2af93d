package io.crmlake.models.segment;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.crmlake.models.registry.Json;

/**
 * Parameters of the segmentation model. Features are gold.customer_features columns; the
 * skewed ones (counts and amounts) are log1p-transformed before scaling so that a few very large
 * customers do not flatten everybody else into one cluster.
 *
 * @param features      feature columns, in the order of the model's vector
 * @param logFeatures   the features transformed by log1p (a subset of {@code features})
 * @param k             number of segments; 0 picks it by silhouette within [kMin, kMax]
 * @param kMin          smallest k tried when k = 0
 * @param kMax          largest k tried when k = 0
 * @param seed          k-means seed
 * @param maxIter       k-means iterations
 * @param newTenureDays a segment whose customers joined on average fewer days ago than this is New
 */
public record SegmentParams(List<String> features, List<String> logFeatures, int k, int kMin, int kMax,
                            long seed, int maxIter, int newTenureDays) {
    /** Upper bound of k: name matching enumerates subsets of the clusters. */
    public static final int MAX_K = 16;

    public SegmentParams {
        features = List.copyOf(features);
        logFeatures = List.copyOf(logFeatures);
        if (features.isEmpty() || new HashSet<>(features).size() != features.size()) {
            throw new IllegalArgumentException("segment features must be non-empty and distinct: " + features);
        }
        if (!features.containsAll(logFeatures)) {
            throw new IllegalArgumentException("log features " + logFeatures + " must be among the features " + features);
        }
        if (features.contains("recency_days") && !features.contains("tenure_days")) {
            // A customer who never bought gets recency = tenure (see SegmentFeatures).
            throw new IllegalArgumentException("recency_days needs tenure_days among the segment features");
        }
        if (k != 0 && (k < 2 || k > MAX_K)) {
            throw new IllegalArgumentException("k must be 0 (auto) or within 2.." + MAX_K + ", not " + k);
        }
        if (kMin < 2 || kMax < kMin || kMax > MAX_K) {
            throw new IllegalArgumentException("need 2 <= kMin <= kMax <= " + MAX_K + ", not " + kMin + ".." + kMax);
        }
        if (maxIter < 1) {
            throw new IllegalArgumentException("maxIter must be positive, not " + maxIter);
        }
    }

    public static SegmentParams defaults() {
        return new SegmentParams(
                List.of("recency_days", "frequency", "monetary", "avg_order_value", "tenure_days", "orders_90d",
                        "email_open_rate", "email_click_rate", "tickets_90d", "return_rate"),
                List.of("frequency", "monetary", "avg_order_value", "orders_90d", "tenure_days"),
                0, 3, 8, 42L, 20, 90);
    }

    public SegmentParams withK(int newK) {
        return new SegmentParams(features, logFeatures, newK, kMin, kMax, seed, maxIter, newTenureDays);
    }

    public SegmentParams withKRange(int min, int max) {
        return new SegmentParams(features, logFeatures, k, min, max, seed, maxIter, newTenureDays);
    }

    public SegmentParams withSeed(long newSeed) {
        return new SegmentParams(features, logFeatures, k, kMin, kMax, newSeed, maxIter, newTenureDays);
    }

    public SegmentParams withMaxIter(int iterations) {
        return new SegmentParams(features, logFeatures, k, kMin, kMax, seed, iterations, newTenureDays);
    }

    /**
     * What defines a fitted model, as JSON: the registry's params column and the input of its
     * version hash. newTenureDays is left out: it only names clusters, it does not shape them.
     */
    public String describe() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("features", features);
        p.put("log_features", logFeatures);
        p.put("k", k == 0 ? "auto" : k);
        p.put("k_min", kMin);
        p.put("k_max", kMax);
        p.put("seed", seed);
        p.put("max_iter", maxIter);
        return Json.of(p);
    }

    /**
     * The parameters a registered model was fitted with, from its {@link #describe()} JSON: a saved
     * model must be profiled with its own features even when the configuration has changed since.
     */
    @SuppressWarnings("unchecked")
    static SegmentParams fromDescription(String json, int newTenureDays) {
        Map<String, Object> p = Json.parse(json);
        Object k = p.get("k");
        return new SegmentParams((List<String>) p.get("features"), (List<String>) p.get("log_features"),
                "auto".equals(k) ? 0 : ((Number) k).intValue(), ((Number) p.get("k_min")).intValue(),
                ((Number) p.get("k_max")).intValue(), ((Number) p.get("seed")).longValue(),
                ((Number) p.get("max_iter")).intValue(), newTenureDays);
    }

    /** The k values to try: {k} when fixed, else kMin..kMax. */
    public List<Integer> candidateKs() {
        return k != 0 ? List.of(k) : IntStream.rangeClosed(kMin, kMax).boxed().toList();
    }
}
