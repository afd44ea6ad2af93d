package io.crmlake.models.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;

/**
 * The preparation stages of the segmentation pipeline: gold.customer_features columns (int, long,
 * decimal, double, boolean, nullable) → one standardised vector. They are pipeline stages, not
 * code run before the pipeline, so a saved PipelineModel scores new rows exactly as it was trained.
 *
 * <p>Missing values, in the features' own units ({@link #imputed} columns, also what the segment
 * profiles average):
 * <ul>
 * <li>recency_days: null means the customer never bought, so it becomes their tenure_days: no
 *     purchase for as long as they have been a customer.</li>
 * <li>Counts, amounts, averages and rates over purchases or emails ({@link #ZERO_WHEN_NULL}): null
 *     means there was nothing to count or average over, so 0 — a customer with no mails sent has
 *     shown no email engagement.</li>
 * <li>Anything else (tenure_days when the sign-up date is unknown, avg_satisfaction, ...): the
 *     median of the training rows, fitted by an {@link Imputer} and saved with the model.</li>
 * </ul>
 * Then log1p(max(x, 0)) for the log features, VectorAssembler, and StandardScaler with mean and
 * standard deviation, so that every feature weighs the same in k-means' Euclidean distance.
 */
public final class SegmentFeatures {
    /** The standardised vector k-means clusters; distances are measured in this space. */
    public static final String VECTOR = "features";
    static final String UNSCALED = "features_unscaled";
    static final Set<String> ZERO_WHEN_NULL = Set.of(
            "frequency", "monetary", "avg_order_value", "orders_90d", "revenue_90d", "distinct_categories",
            "email_open_rate", "email_click_rate", "email_sends_90d", "tickets_90d", "cancelled_orders",
            "returned_orders", "return_rate", "avg_items_per_order", "unsubscribed", "marketing_opt_in");
    private static final String RECENCY = "recency_days";
    private static final String TENURE = "tenure_days";

    private SegmentFeatures() {}

    /** The feature after imputation, as a double in its own units. */
    public static String imputed(String feature) {
        return "imp_" + feature;
    }

    private static String withNulls(String feature) {
        return "raw_" + feature;
    }

    private static String logged(String feature) {
        return "log_" + feature;
    }

    static List<PipelineStage> stages(SegmentParams p) {
        List<String> median = medianImputed(p);
        List<String> first = new ArrayList<>();
        for (String f : p.features()) {
            if (ZERO_WHEN_NULL.contains(f)) {
                first.add("COALESCE(CAST(`" + f + "` AS DOUBLE), 0D) AS " + imputed(f));
            } else if (median.contains(f)) {
                first.add("CAST(`" + f + "` AS DOUBLE) AS " + withNulls(f));
            }
        }
        List<String> second = new ArrayList<>();
        if (p.features().contains(RECENCY)) {
            second.add("COALESCE(CAST(`" + RECENCY + "` AS DOUBLE), " + imputed(TENURE) + ") AS " + imputed(RECENCY));
        }
        for (String f : p.logFeatures()) {
            second.add("LOG1P(GREATEST(" + imputed(f) + ", 0D)) AS " + logged(f));
        }

        List<PipelineStage> stages = new ArrayList<>();
        // Doubles, nulls that mean "nothing" as 0; then medians; then recency from tenure and log1p.
        stages.add(select(first));
        if (!median.isEmpty()) {
            stages.add(new Imputer().setStrategy("median")
                    .setInputCols(median.stream().map(SegmentFeatures::withNulls).toArray(String[]::new))
                    .setOutputCols(median.stream().map(SegmentFeatures::imputed).toArray(String[]::new)));
        }
        stages.add(select(second));
        // One vector, standardised.
        stages.add(new VectorAssembler().setOutputCol(UNSCALED).setInputCols(p.features().stream()
                .map(f -> p.logFeatures().contains(f) ? logged(f) : imputed(f)).toArray(String[]::new)));
        stages.add(new StandardScaler().setInputCol(UNSCALED).setOutputCol(VECTOR).setWithMean(true).setWithStd(true));
        return stages;
    }

    /** Features that the Imputer fills with a median: they must not be null on every row. */
    static List<String> medianImputed(SegmentParams p) {
        return p.features().stream().filter(f -> !f.equals(RECENCY) && !ZERO_WHEN_NULL.contains(f)).toList();
    }

    private static SQLTransformer select(List<String> expressions) {
        String extra = expressions.isEmpty() ? "" : ", " + String.join(", ", expressions);
        return new SQLTransformer().setStatement("SELECT *" + extra + " FROM __THIS__");
    }

    /**
     * Means in the features' own units (in {@code p.features()} order) → the standardised space,
     * as the fitted stages would map a customer with exactly these values.
     */
    static double[] toModelSpace(double[] means, SegmentParams p, StandardScalerModel scaler) {
        double[] mean = scaler.mean().toArray();
        double[] std = scaler.std().toArray();
        double[] out = new double[means.length];
        for (int i = 0; i < means.length; i++) {
            double v = p.logFeatures().contains(p.features().get(i)) ? Math.log1p(Math.max(means[i], 0)) : means[i];
            out[i] = std[i] == 0 ? 0 : (v - mean[i]) / std[i];
        }
        return out;
    }
}
