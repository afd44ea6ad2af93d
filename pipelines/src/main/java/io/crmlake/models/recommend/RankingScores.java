package io.crmlake.models.recommend;

import java.util.LinkedHashMap;
import java.util.Map;

/** Ranking quality of one recommender at a cut-off k, averaged over the evaluated customers. */
public record RankingScores(double precisionAtK, double recallAtK, double mapAtK) {
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("precision_at_k", precisionAtK);
        m.put("recall_at_k", recallAtK);
        m.put("map_at_k", mapAtK);
        return m;
    }
}
