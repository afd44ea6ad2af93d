package io.crmlake.models.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.spark.ml.PipelineModel;

import io.crmlake.models.registry.Json;
import io.crmlake.models.registry.RegistryEntry;

/**
 * A segment model as gold.model_registry keeps it, so that the nights between refits score with
 * it: the PipelineModel saved at the entry's path, and in the entry's metrics JSON what the
 * pipeline does not hold — {@code names} (cluster id → segment name, e.g.
 * {@code {"0": "Champions", ...}}), {@code profiles} (the training customers' profile of each
 * cluster) and {@code silhouette_k<k>} for every k tried.
 *
 * <p>The registry row rather than a file beside the saved model: the row is what makes a version
 * current, written in the same Delta commit as the promotion, so the names that score can never be
 * out of step with the model that scores (a model folder without its row is never read). It is
 * also readable with SQL ({@code get_json_object(metrics, '$.names.0')}) and already held the
 * silhouettes.
 */
final class RegisteredSegmentModel {
    static final String NAMES = "names";
    static final String PROFILES = "profiles";
    private static final String SILHOUETTE_OF_K = "silhouette_k";

    private RegisteredSegmentModel() {}

    /** The registry metrics of a fitted model: what {@link #load} needs, and how it did. */
    static Map<String, Object> metrics(SegmentModel model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", model.k());
        m.put("silhouette", model.silhouette());
        model.silhouettes().forEach((k, s) -> m.put(SILHOUETTE_OF_K + k, s));
        Map<String, String> names = new LinkedHashMap<>();
        new TreeMap<>(model.names()).forEach((id, name) -> names.put(String.valueOf(id), name));
        m.put(NAMES, names);
        m.put(PROFILES, model.profiles().stream().map(RegisteredSegmentModel::profile).toList());
        return m;
    }

    /** Whether the entry holds the cluster names: versions registered before models were kept lack them. */
    static boolean hasNames(RegistryEntry entry) {
        return Json.parse(entry.metrics()).get(NAMES) instanceof Map;
    }

    /**
     * The model of a registry entry ({@link #hasNames} must hold), with the parameters it was
     * fitted with.
     *
     * @param newTenureDays of the configured parameters: it only names clusters, so it is not registered
     */
    @SuppressWarnings("unchecked")
    static SegmentModel load(RegistryEntry entry, int newTenureDays) {
        SegmentParams params = SegmentParams.fromDescription(entry.params(), newTenureDays);
        Map<String, Object> metrics = Json.parse(entry.metrics());
        Map<Integer, String> names = new LinkedHashMap<>();
        ((Map<String, String>) metrics.get(NAMES)).forEach((id, name) -> names.put(Integer.valueOf(id), name));
        SortedMap<Integer, Double> silhouettes = new TreeMap<>();
        metrics.forEach((key, value) -> {
            if (key.startsWith(SILHOUETTE_OF_K)) {
                // Json.of writes a NaN silhouette as null.
                silhouettes.put(Integer.valueOf(key.substring(SILHOUETTE_OF_K.length())),
                        value == null ? Double.NaN : ((Number) value).doubleValue());
            }
        });
        List<ClusterProfile> profiles = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) metrics.getOrDefault(PROFILES, List.of())) {
            profiles.add(profile(p, params.features()));
        }
        return new SegmentModel(PipelineModel.load(entry.path()), params, names, silhouettes, profiles,
                entry.modelVersion());
    }

    private static Map<String, Object> profile(ClusterProfile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("segment_id", p.segmentId());
        m.put("segment_name", p.name());
        m.put("size", p.size());
        m.put("means", p.means());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static ClusterProfile profile(Map<String, Object> p, List<String> features) {
        Map<String, Object> stored = (Map<String, Object>) p.get("means");
        Map<String, Double> means = new LinkedHashMap<>();
        features.forEach(f -> means.put(f, ((Number) stored.get(f)).doubleValue()));
        return new ClusterProfile(((Number) p.get("segment_id")).intValue(), (String) p.get("segment_name"),
                ((Number) p.get("size")).longValue(), means);
    }
}
