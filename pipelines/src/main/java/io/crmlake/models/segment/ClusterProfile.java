package io.crmlake.models.segment;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One segment described by its customers' mean features in their own units (after imputation):
 * what the naming rules read, what gold.segment_profiles stores, and what the next night's model
 * matches its clusters against to keep names stable.
 *
 * @param segmentId the cluster id in the model that produced it
 * @param name      the segment name, or null before naming
 * @param size      number of customers
 * @param means     feature → mean, in feature order
 */
public record ClusterProfile(int segmentId, String name, long size, Map<String, Double> means) {
    public ClusterProfile {
        means = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(means));
    }

    public double mean(String feature) {
        Double m = means.get(feature);
        if (m == null) {
            throw new IllegalArgumentException("no mean of " + feature + " in " + means.keySet());
        }
        return m;
    }

    /** Means in the order of {@code features}. */
    double[] vector(List<String> features) {
        return features.stream().mapToDouble(this::mean).toArray();
    }

    ClusterProfile named(String newName) {
        return new ClusterProfile(segmentId, newName, size, means);
    }

    /** The profile column of a feature's mean: mean_recency_days, ... */
    public static String meanColumn(String feature) {
        return "mean_" + feature;
    }

    /** size and mean_&lt;feature&gt; aggregations over scored rows (rows with imputed columns). */
    static Column[] aggregations(List<String> features) {
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)).as("size"));
        for (String f : features) {
            aggs.add(avg(col(SegmentFeatures.imputed(f))).as(meanColumn(f)));
        }
        return aggs.toArray(Column[]::new);
    }

    /** Profiles of scored rows, one per segment_id, ordered by it; names are left null. */
    static List<ClusterProfile> collect(Dataset<Row> scored, List<String> features) {
        Column[] aggs = aggregations(features);
        return fromRows(scored.groupBy(SegmentModel.SEGMENT_ID).agg(aggs[0], Arrays.copyOfRange(aggs, 1, aggs.length)),
                features, false);
    }

    /**
     * The profiles of gold.segment_profiles rows of one model (segment_id, segment_name, size,
     * mean_&lt;feature&gt;). Returns an empty list when a feature has no mean column — the feature
     * list changed, so the old profiles cannot be compared and naming starts afresh.
     */
    public static List<ClusterProfile> fromProfiles(Dataset<Row> profiles, List<String> features) {
        List<String> columns = Arrays.asList(profiles.columns());
        if (!features.stream().map(ClusterProfile::meanColumn).allMatch(columns::contains)) {
            return List.of();
        }
        return fromRows(profiles, features, true);
    }

    private static List<ClusterProfile> fromRows(Dataset<Row> rows, List<String> features, boolean named) {
        List<Column> columns = new ArrayList<>(List.of(col(SegmentModel.SEGMENT_ID).cast("int").as("id"),
                named ? col(SegmentModel.SEGMENT_NAME) : lit(null).cast("string"), col("size").cast("long")));
        features.forEach(f -> columns.add(col(meanColumn(f)).cast("double")));
        List<ClusterProfile> out = new ArrayList<>();
        for (Row r : rows.select(columns.toArray(Column[]::new)).orderBy("id").collectAsList()) {
            Map<String, Double> means = new LinkedHashMap<>();
            for (int i = 0; i < features.size(); i++) {
                means.put(features.get(i), r.isNullAt(3 + i) ? 0.0 : r.getDouble(3 + i));
            }
            out.add(new ClusterProfile(r.getInt(0), r.getString(1), r.getLong(2), means));
        }
        return out;
    }
}
