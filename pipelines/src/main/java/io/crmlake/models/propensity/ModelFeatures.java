package io.crmlake.models.propensity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.VectorAssembler;

/**
 * Turns gold.customer_features columns into the model's feature vector, as Pipeline stages so a
 * saved model reproduces it at scoring time. Missing values mean "nothing to measure" and get a
 * value with that meaning rather than an average:
 * <ul>
 * <li>recency_days without an order: 3650 (ten years, "long ago");</li>
 * <li>avg_days_between_orders with fewer than two orders: 365;</li>
 * <li>avg_order_value, avg_items_per_order, rates and avg_satisfaction: 0 (none observed);</li>
 * <li>booleans as 0/1, null as 0.</li>
 * </ul>
 */
public final class ModelFeatures {
    public static final String VECTOR = "features_vec";
    private static final Map<String, String> WHEN_MISSING = Map.of(
            "recency_days", "3650",
            "avg_days_between_orders", "365");

    private ModelFeatures() {}

    public static List<PipelineStage> stages(List<String> features) {
        List<String> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String f : features) {
            String name = "f_" + f;
            String value = isBoolean(f) ? "CAST(" + f + " AS INT)" : f;
            exprs.add("CAST(COALESCE(" + value + ", " + WHEN_MISSING.getOrDefault(f, "0") + ") AS DOUBLE) AS " + name);
            names.add(name);
        }
        SQLTransformer impute = new SQLTransformer()
                .setStatement("SELECT *, " + String.join(", ", exprs) + " FROM __THIS__");
        VectorAssembler assemble = new VectorAssembler()
                .setInputCols(names.toArray(String[]::new))
                .setOutputCol(VECTOR);
        return List.of(impute, assemble);
    }

    private static boolean isBoolean(String feature) {
        return feature.equals("unsubscribed") || feature.equals("marketing_opt_in");
    }
}
