package io.crmlake.models.propensity;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How well a score ranks buyers above non-buyers on labelled examples: AUC-ROC and AUC-PR from
 * MLlib's evaluator, and the lift of the top decile (the buyer rate among the 10% highest scores
 * divided by the overall buyer rate; 1.0 is no better than random).
 *
 * @param rows      examples evaluated
 * @param positives buyers among them
 */
public record BinaryMetrics(double aucRoc, double aucPr, double liftTopDecile, long rows, long positives) {

    /** Evaluates a double score column (higher = more likely to buy) against {@link PropensityData#LABEL}. */
    public static BinaryMetrics evaluate(Dataset<Row> scored, String scoreColumn) {
        Dataset<Row> s = scored.select(col(scoreColumn).cast("double").as("score"), col(PropensityData.LABEL));
        BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator()
                .setRawPredictionCol("score").setLabelCol(PropensityData.LABEL);
        Row totals = s.agg(count(lit(1)), sum(col(PropensityData.LABEL))).first();
        long rows = totals.getLong(0);
        long positives = totals.isNullAt(1) ? 0 : Math.round(totals.getDouble(1));
        if (positives == 0 || positives == rows) {
            // Both evaluators are undefined without both classes; report it rather than a number.
            return new BinaryMetrics(Double.NaN, Double.NaN, Double.NaN, rows, positives);
        }
        double aucRoc = evaluator.setMetricName("areaUnderROC").evaluate(s);
        double aucPr = evaluator.setMetricName("areaUnderPR").evaluate(s);
        // The 90th percentile of the score splits off the top decile; an approximate quantile keeps
        // this a distributed aggregation (no global sort on one partition).
        double threshold = s.stat().approxQuantile("score", new double[] {0.9}, 0.001)[0];
        Row top = s.where(col("score").geq(threshold)).agg(avg(col(PropensityData.LABEL))).first();
        double baseRate = (double) positives / rows;
        double lift = top.isNullAt(0) ? Double.NaN : top.getDouble(0) / baseRate;
        return new BinaryMetrics(aucRoc, aucPr, lift, rows, positives);
    }

    /** One metric by its registry name: auc_roc, auc_pr or lift_top_decile. */
    public double metric(String name) {
        return switch (name) {
            case "auc_roc" -> aucRoc;
            case "auc_pr" -> aucPr;
            case "lift_top_decile" -> liftTopDecile;
            default -> throw new IllegalArgumentException("unknown metric " + name);
        };
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("auc_roc", aucRoc);
        m.put("auc_pr", aucPr);
        m.put("lift_top_decile", liftTopDecile);
        m.put("rows", rows);
        m.put("positives", positives);
        return m;
    }
}
