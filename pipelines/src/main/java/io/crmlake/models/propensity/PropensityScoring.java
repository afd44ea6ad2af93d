package io.crmlake.models.propensity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Scores customers as of a date into the gold.purchase_propensity contract:
 * {@code customer_id, as_of_date, horizon_days, probability, decile, model_version}. Decile 1 holds
 * the 10% most likely buyers, decile 10 the least likely. Decile boundaries are approximate
 * quantiles of the night's probabilities (relative error 0.1%), computed without a global sort.
 */
public final class PropensityScoring {
    private PropensityScoring() {}

    public static Dataset<Row> score(PipelineModel model, Dataset<Row> features, LocalDate asOf, int horizonDays,
            String modelVersion) {
        // Read twice (the decile cuts, then the rows): materialised once. Not cache(): nothing
        // would unpersist it, and every later query of the session checks the cached plans.
        Dataset<Row> scored = PropensityModels.predict(model, features)
                .select(col("customer_id"), col(PropensityModels.PROBABILITY).as("probability"))
                .localCheckpoint();
        double[] probs = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1};
        double[] cuts = scored.stat().approxQuantile("probability", probs, 0.001);
        return scored.select(
                col("customer_id"),
                lit(Date.valueOf(asOf)).as("as_of_date"),
                lit(horizonDays).as("horizon_days"),
                col("probability"),
                decile(col("probability"), cuts).as("decile"),
                lit(modelVersion).as("model_version"));
    }

    /** 1 + the number of upper-decile boundaries the probability falls below. */
    static Column decile(Column probability, double[] descendingCuts) {
        Column d = lit(1);
        for (double cut : descendingCuts) {
            d = d.plus(when(probability.lt(lit(cut)), lit(1)).otherwise(lit(0)));
        }
        return d.cast("int");
    }
}
