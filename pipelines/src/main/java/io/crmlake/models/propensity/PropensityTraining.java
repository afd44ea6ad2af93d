package io.crmlake.models.propensity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import java.time.LocalDate;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.features.FeatureInputs;
import io.crmlake.features.FeatureParams;

/**
 * Trains and evaluates a propensity model for a batch date D with horizon h, using only data up to
 * D and labels that are fully observed by D:
 * <ul>
 * <li>training cut-off T = D − 2h: features as of T, labels from (T, T + h]; the customers not held
 *     out train the model, the held-out ones give the in-time check;</li>
 * <li>validation cut-off V = D − h: features as of V, labels from (V, D] — later than anything the
 *     model saw, so it measures how the model does on the next period (out of time).</li>
 * </ul>
 * The GBT is compared with a logistic regression on the same features and with a recency-only
 * rule, on the same validation rows. The model that is registered and scores is the one trained at
 * T, so its recorded metrics are the ones it earned.
 */
public final class PropensityTraining {
    /** What one training produced: the model and every metric, on out-of-time and held-out data. */
    public record Result(PipelineModel model, LocalDate trainCutoff, LocalDate validationCutoff, long trainRows,
                         BinaryMetrics outOfTime, BinaryMetrics heldOut, BinaryMetrics logisticOutOfTime,
                         BinaryMetrics recencyOutOfTime) {}

    private PropensityTraining() {}

    public static Result train(FeatureInputs in, LocalDate batchDate, PropensityParams p, FeatureParams fp) {
        LocalDate validationCutoff = batchDate.minusDays(p.horizonDays());
        LocalDate trainCutoff = validationCutoff.minusDays(p.horizonDays());
        Dataset<Row> atTrain = PropensityData.examples(in, trainCutoff, p.horizonDays(), fp, p.holdoutShare()).cache();
        Dataset<Row> validation = PropensityData.examples(in, validationCutoff, p.horizonDays(), fp, p.holdoutShare()).cache();
        try {
            Dataset<Row> train = atTrain.where(not(col(PropensityData.HOLDOUT)));
            long trainRows = train.count();
            requireBothClasses(train, trainCutoff);
            PipelineModel gbt = PropensityModels.fitGbt(train, p);
            PipelineModel logistic = PropensityModels.fitLogistic(train, p);
            return new Result(gbt, trainCutoff, validationCutoff, trainRows,
                    evaluate(gbt, validation),
                    evaluate(gbt, atTrain.where(col(PropensityData.HOLDOUT))),
                    evaluate(logistic, validation),
                    BinaryMetrics.evaluate(PropensityModels.recencyRule(validation), PropensityModels.RECENCY_SCORE));
        } finally {
            atTrain.unpersist();
            validation.unpersist();
        }
    }

    /** A model's out-of-time metrics on the validation cut-off of {@code batchDate}: how the promotion gate compares models. */
    public static BinaryMetrics validate(PipelineModel model, FeatureInputs in, LocalDate batchDate, PropensityParams p,
            FeatureParams fp) {
        LocalDate validationCutoff = batchDate.minusDays(p.horizonDays());
        return evaluate(model, PropensityData.examples(in, validationCutoff, p.horizonDays(), fp, p.holdoutShare()));
    }

    private static BinaryMetrics evaluate(PipelineModel model, Dataset<Row> examples) {
        return BinaryMetrics.evaluate(PropensityModels.predict(model, examples), PropensityModels.PROBABILITY);
    }

    private static void requireBothClasses(Dataset<Row> train, LocalDate cutoff) {
        long positives = train.where(col(PropensityData.LABEL).gt(0.5)).count();
        long rows = train.count();
        if (positives == 0 || positives == rows) {
            throw new IllegalStateException("cannot train the propensity model at cut-off " + cutoff + ": "
                    + (positives == 0 ? "no customer" : "every customer") + " bought in the horizon (" + rows
                    + " customers); the history before the batch date must cover at least two horizons");
        }
    }
}
