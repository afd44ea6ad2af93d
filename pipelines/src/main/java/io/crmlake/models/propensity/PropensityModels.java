package io.crmlake.models.propensity;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.coalesce;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The propensity model and its baselines. The model is a GBTClassifier in an MLlib Pipeline
 * behind {@link ModelFeatures}; the baselines are a logistic regression on the same (standardised)
 * features and a rule that ranks customers by recency alone. All three produce a
 * {@link #PROBABILITY} (or, for the rule, score) column so they are evaluated the same way.
 */
public final class PropensityModels {
    public static final String PROBABILITY = "probability_buy";
    public static final String RECENCY_SCORE = "recency_score";

    private PropensityModels() {}

    public static PipelineModel fitGbt(Dataset<Row> train, PropensityParams p) {
        List<PipelineStage> stages = new ArrayList<>(ModelFeatures.stages(p.features()));
        stages.add(new GBTClassifier()
                .setFeaturesCol(ModelFeatures.VECTOR)
                .setLabelCol(PropensityData.LABEL)
                .setMaxIter(p.maxIter())
                .setMaxDepth(p.maxDepth())
                .setStepSize(p.stepSize())
                .setSeed(p.seed()));
        return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(train);
    }

    public static PipelineModel fitLogistic(Dataset<Row> train, PropensityParams p) {
        List<PipelineStage> stages = new ArrayList<>(ModelFeatures.stages(p.features()));
        stages.add(new StandardScaler().setInputCol(ModelFeatures.VECTOR).setOutputCol("scaled_vec")
                .setWithMean(true).setWithStd(true));
        stages.add(new LogisticRegression().setFeaturesCol("scaled_vec").setLabelCol(PropensityData.LABEL)
                .setMaxIter(50).setRegParam(0.01));
        return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(train);
    }

    /** Adds {@link #PROBABILITY}: the model's probability of the positive class. */
    public static Dataset<Row> predict(PipelineModel model, Dataset<Row> examples) {
        return model.transform(examples)
                .withColumn(PROBABILITY, vector_to_array(col("probability"), "float64").getItem(1));
    }

    /** Adds {@link #RECENCY_SCORE}: the fewer days since the last purchase, the higher; never bought lowest. */
    public static Dataset<Row> recencyRule(Dataset<Row> examples) {
        return examples.withColumn(RECENCY_SCORE,
                lit(0.0).minus(coalesce(col("recency_days"), lit(100_000)).cast("double")));
    }
}
