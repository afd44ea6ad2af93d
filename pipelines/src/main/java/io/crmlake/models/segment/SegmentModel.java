package io.crmlake.models.segment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * A fitted segmentation: the MLlib PipelineModel (imputation, log, scaling, k-means), the name
 * of each cluster, and the silhouette of every k tried. Scoring is a pure function of
 * gold.customer_features rows, so the same model gives the same rows on every re-run. Between
 * refits it is kept in gold.model_registry and loaded back by {@link RegisteredSegmentModel}.
 *
 * @param pipeline     all stages; the last is the KMeansModel
 * @param params       what it was fitted with
 * @param names        cluster id → segment name, unique
 * @param silhouettes  k → silhouette (squared Euclidean) of the model fitted with that k
 * @param profiles     the training customers' profile of each cluster, named
 * @param modelVersion written to every output row
 */
public record SegmentModel(PipelineModel pipeline, SegmentParams params, Map<Integer, String> names,
                           SortedMap<Integer, Double> silhouettes, List<ClusterProfile> profiles, String modelVersion) {
    public static final String SEGMENT_ID = "segment_id";
    public static final String SEGMENT_NAME = "segment_name";
    public static final List<String> ASSIGNMENT_COLUMNS = List.of(
            "customer_id", "as_of_date", SEGMENT_ID, SEGMENT_NAME, "distance", "model_version");

    public SegmentModel {
        names = Map.copyOf(names);
        silhouettes = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(silhouettes));
        profiles = List.copyOf(profiles);
    }

    public KMeansModel kmeans() {
        return (KMeansModel) pipeline.stages()[pipeline.stages().length - 1];
    }

    public int k() {
        return kmeans().getK();
    }

    public double silhouette() {
        return silhouettes.get(k());
    }

    /** Feature rows with the pipeline's columns added: imputed values, the vector and segment_id. */
    public Dataset<Row> score(Dataset<Row> features) {
        return pipeline.transform(features);
    }

    /**
     * gold.customer_segments rows: customer_id, as_of_date, segment_id, segment_name, distance
     * (Euclidean, in the standardised space, to the centroid of the customer's segment: how typical
     * the customer is of it), model_version.
     */
    public Dataset<Row> assignments(Dataset<Row> features) {
        Vector[] centers = kmeans().clusterCenters();
        UserDefinedFunction distance = udf((UDF2<Vector, Integer, Double>)
                (v, c) -> Math.sqrt(Vectors.sqdist(v, centers[c])), DataTypes.DoubleType);
        return score(features).select(
                col("customer_id"),
                col("as_of_date"),
                col(SEGMENT_ID),
                segmentName().as(SEGMENT_NAME),
                distance.apply(col(SegmentFeatures.VECTOR), col(SEGMENT_ID)).as("distance"),
                lit(modelVersion).as("model_version"));
    }

    /**
     * gold.segment_profiles rows, one per as_of_date and segment: as_of_date, segment_id,
     * segment_name, size, share (of that date's customers), mean_&lt;feature&gt; for each feature
     * (in the feature's own units, after imputation), model_version.
     */
    public Dataset<Row> profiles(Dataset<Row> features) {
        Column[] aggs = ClusterProfile.aggregations(params.features());
        Dataset<Row> grouped = score(features).groupBy(col("as_of_date"), col(SEGMENT_ID))
                .agg(aggs[0], Arrays.copyOfRange(aggs, 1, aggs.length));
        List<Column> out = new ArrayList<>(List.of(col("as_of_date"), col(SEGMENT_ID), segmentName().as(SEGMENT_NAME),
                col("size"), col("size").divide(sum("size").over(Window.partitionBy("as_of_date"))).as("share")));
        params.features().forEach(f -> out.add(col(ClusterProfile.meanColumn(f))));
        out.add(lit(modelVersion).as("model_version"));
        return grouped.select(out.toArray(Column[]::new));
    }

    private Column segmentName() {
        List<Column> pairs = new ArrayList<>();
        names.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            pairs.add(lit(e.getKey()));
            pairs.add(lit(e.getValue()));
        });
        return org.apache.spark.sql.functions.map(pairs.toArray(Column[]::new)).getItem(col(SEGMENT_ID));
    }
}
