package io.crmlake.models.segment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.models.ModelSkipped;

/**
 * Fits the segmentation on one as-of date of gold.customer_features. The preparation stages are
 * fitted once; k-means is fitted for each candidate k on the prepared rows and the k with the
 * best silhouette wins (the smallest on a tie). The result is one PipelineModel, preparation and
 * k-means together, so that it can be saved and re-applied as a whole. Clusters are then named:
 * first by carrying names over from the previous model ({@link NameCarryOver}), then by the rules
 * ({@link SegmentNaming}).
 */
public final class SegmentTrainer {
    private SegmentTrainer() {}

    /**
     * @param features     gold.customer_features rows of one as_of_date
     * @param previous     the previous model's named profiles ({@link ClusterProfile#fromProfiles}),
     *                     or an empty list to name by the rules alone
     * @param modelVersion written to every output row of the model
     */
    public static SegmentModel fit(Dataset<Row> features, SegmentParams params, List<ClusterProfile> previous,
                                   String modelVersion) {
        long rows = checkFittable(features, params);
        List<Integer> ks = params.candidateKs().stream().filter(k -> k < rows).toList();
        if (ks.isEmpty()) {
            throw new ModelSkipped("cannot segment " + rows + " customers into " + params.candidateKs()
                    + " segments: k-means needs more customers than segments");
        }
        PipelineModel preparation = new Pipeline()
                .setStages(SegmentFeatures.stages(params).toArray(PipelineStage[]::new)).fit(features);
        Dataset<Row> prepared = preparation.transform(features).persist();
        try {
            ClusteringEvaluator silhouette = new ClusteringEvaluator()
                    .setFeaturesCol(SegmentFeatures.VECTOR).setPredictionCol(SegmentModel.SEGMENT_ID)
                    .setMetricName("silhouette").setDistanceMeasure("squaredEuclidean");
            SortedMap<Integer, Double> silhouettes = new TreeMap<>();
            KMeansModel best = null;
            for (int k : ks) {
                KMeansModel m = new KMeans().setK(k).setSeed(params.seed()).setMaxIter(params.maxIter())
                        .setFeaturesCol(SegmentFeatures.VECTOR).setPredictionCol(SegmentModel.SEGMENT_ID)
                        .fit(prepared);
                silhouettes.put(k, silhouette.evaluate(m.transform(prepared)));
                if (best == null || silhouettes.get(k) > silhouettes.get(best.getK())) {
                    best = m;
                }
            }
            List<PipelineStage> all = new ArrayList<>(List.of(preparation.stages()));
            all.add(best);
            // Only fitted stages: this fit assembles them without another pass over the data.
            PipelineModel pipeline = new Pipeline().setStages(all.toArray(PipelineStage[]::new)).fit(features);

            StandardScalerModel scaler = (StandardScalerModel) preparation.stages()[preparation.stages().length - 1];
            List<ClusterProfile> current = ClusterProfile.collect(best.transform(prepared), params.features());
            List<ClusterProfile> carried = NameCarryOver.carryOver(current, previous,
                    s -> SegmentFeatures.toModelSpace(s.vector(params.features()), params, scaler));
            Map<Integer, String> names = withEmptyClusters(SegmentNaming.name(carried, params), best.clusterCenters().length);
            List<ClusterProfile> named = current.stream().map(s -> s.named(names.get(s.segmentId()))).toList();
            return new SegmentModel(pipeline, params, names, silhouettes, named, modelVersion);
        } finally {
            prepared.unpersist();
        }
    }

    /**
     * Counts the rows; fails with a clear message when a median-imputed feature is null on every
     * row (the Imputer could not fill it: drop the feature from the configuration).
     */
    private static long checkFittable(Dataset<Row> features, SegmentParams params) {
        List<String> median = SegmentFeatures.medianImputed(params);
        List<Column> counts = new ArrayList<>();
        median.forEach(f -> counts.add(count(col(f)).as(f)));
        Row r = features.agg(count(lit(1)).as("rows"), counts.toArray(Column[]::new)).first();
        long rows = r.getLong(0);
        for (int i = 0; i < median.size(); i++) {
            if (rows > 0 && r.getLong(1 + i) == 0) {
                throw new IllegalArgumentException("segment feature " + median.get(i)
                        + " is null for every customer: it cannot be imputed; remove it from the segment features");
            }
        }
        return rows;
    }

    /** k-means may leave a cluster without customers: it still gets a (fallback) name. */
    private static Map<Integer, String> withEmptyClusters(Map<Integer, String> names, int k) {
        Map<Integer, String> all = new LinkedHashMap<>(names);
        Set<String> taken = new HashSet<>(names.values());
        for (int id = 0; id < k; id++) {
            if (!all.containsKey(id)) {
                String name = SegmentNaming.unique(SegmentNaming.FALLBACK, 1, taken);
                all.put(id, name);
                taken.add(name);
            }
        }
        return all;
    }
}
