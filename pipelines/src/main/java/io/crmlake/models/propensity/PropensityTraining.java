package io.crmlake.models.propensity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_date;

import java.time.LocalDate;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.features.FeatureInputs;
import io.crmlake.features.FeatureParams;
import io.crmlake.models.ModelSkipped;

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

    /**
     * @throws ModelSkipped when the history cannot train a model: no purchase on or before the
     *         training cut-off (shorter than two horizons), or one class only at either cut-off
     */
    public static Result train(FeatureInputs in, LocalDate batchDate, PropensityParams p, FeatureParams fp) {
        LocalDate validationCutoff = batchDate.minusDays(p.horizonDays());
        LocalDate trainCutoff = validationCutoff.minusDays(p.horizonDays());
        requireHistory(in, batchDate, trainCutoff, p.horizonDays());
        Dataset<Row> atTrain = PropensityData.examples(in, trainCutoff, p.horizonDays(), fp, p.holdoutShare()).cache();
        Dataset<Row> validation = PropensityData.examples(in, validationCutoff, p.horizonDays(), fp, p.holdoutShare()).cache();
        try {
            Dataset<Row> train = atTrain.where(not(col(PropensityData.HOLDOUT)));
            long trainRows = train.count();
            requireBothClasses(train, trainCutoff, "training");
            requireBothClasses(validation, validationCutoff, "out-of-time validation");
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

    /** Training labels need purchases before the training cut-off: two horizons of history before the date. */
    private static void requireHistory(FeatureInputs in, LocalDate batchDate, LocalDate trainCutoff, int horizonDays) {
        Row first = in.orders().where(col("status").equalTo("completed")).agg(min(to_date(col("order_ts")))).first();
        if (first.isNullAt(0)) {
            throw new ModelSkipped("no completed order up to " + batchDate + ": nothing to learn purchase propensity from");
        }
        LocalDate firstDay = first.getDate(0).toLocalDate();
        if (firstDay.isAfter(trainCutoff)) {
            throw new ModelSkipped(String.format("history too short: purchases from %s, but training at %s needs purchases"
                    + " before the cut-off %s (two horizons of %d days before the date); it trains once the history"
                    + " is %d days longer", firstDay, batchDate, trainCutoff, horizonDays,
                    java.time.temporal.ChronoUnit.DAYS.between(trainCutoff, firstDay) + 1));
        }
    }

    private static void requireBothClasses(Dataset<Row> examples, LocalDate cutoff, String what) {
        Row counts = examples.agg(count(lit(1)), count_if(col(PropensityData.LABEL).gt(0.5))).first();
        long rows = counts.getLong(0);
        long positives = counts.getLong(1);
        if (positives == 0 || positives == rows) {
            throw new ModelSkipped("cannot train the propensity model: at the " + what + " cut-off " + cutoff + " "
                    + (rows == 0 ? "there are no customers" : (positives == 0 ? "no customer" : "every customer")
                    + " bought in the horizon (" + rows + " customers)") + "; both must occur");
        }
    }
}
