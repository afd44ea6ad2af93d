package io.crmlake.models.recommend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hold-out evaluation of ALS against the popularity baseline on the same customers.
 * With no customer to evaluate ({@code users == 0}) the scores are NaN: nothing was measured.
 *
 * @param k     the cut-off of every metric
 * @param users customers evaluated: trained on, and bought something new in the hold-out
 */
public record RecommendMetrics(int k, long users, RankingScores als, RankingScores popular) {
    /** ALS's metrics with k and users, e.g. for the registry's {@code metrics} JSON. */
    public Map<String, Object> alsMap() {
        return withContext(als);
    }

    /** The baseline's metrics with k and users, e.g. for the registry's {@code baseline_metrics} JSON. */
    public Map<String, Object> popularMap() {
        return withContext(popular);
    }

    private Map<String, Object> withContext(RankingScores scores) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", k);
        m.put("users", users);
        m.putAll(scores.toMap());
        return m;
    }
}
