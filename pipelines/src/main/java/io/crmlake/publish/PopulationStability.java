package io.crmlake.publish;

import static org.apache.spark.sql.functions.col;

import java.util.HashMap;
import java.util.Map;

import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.ml.feature.QuantileDiscretizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Population stability index of a score between a reference night and tonight:
 * PSI = Σ (tonight's share − reference share) × ln(tonight's share / reference share) over bins
 * cut at the reference night's quantiles (MLlib's QuantileDiscretizer; bins that would repeat a
 * split are merged). Shares are floored at 0.0001 so an empty bin counts as a large shift rather
 * than an infinity. Rule of thumb: below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 a
 * large one.
 */
public final class PopulationStability {
    private static final double FLOOR = 1e-4;

    private PopulationStability() {}

    /** PSI of column {@code score} of {@code actual} against {@code expected}; null scores are ignored. */
    public static double psi(Dataset<Row> expected, Dataset<Row> actual, String score, int bins) {
        Dataset<Row> reference = expected.select(col(score).cast("double").as("score")).where(col("score").isNotNull());
        Dataset<Row> tonight = actual.select(col(score).cast("double").as("score")).where(col("score").isNotNull());
        Bucketizer cut = new QuantileDiscretizer().setInputCol("score").setOutputCol("bin").setNumBuckets(bins)
                .setRelativeError(0.001).fit(reference);
        Map<Double, Double> e = shares(cut.transform(reference));
        Map<Double, Double> a = shares(cut.transform(tonight));
        double psi = 0;
        for (int b = 0; b < cut.getSplits().length - 1; b++) {
            double pe = Math.max(FLOOR, e.getOrDefault((double) b, 0.0));
            double pa = Math.max(FLOOR, a.getOrDefault((double) b, 0.0));
            psi += (pa - pe) * Math.log(pa / pe);
        }
        return psi;
    }

    /** bin → share of the rows in it (at most a few dozen bins reach the driver). */
    private static Map<Double, Double> shares(Dataset<Row> binned) {
        Map<Double, Double> shares = new HashMap<>();
        long total = 0;
        Map<Double, Long> counts = new HashMap<>();
        for (Row r : binned.groupBy("bin").count().collectAsList()) {
            counts.put(r.getDouble(0), r.getLong(1));
            total += r.getLong(1);
        }
        for (Map.Entry<Double, Long> c : counts.entrySet()) {
            shares.put(c.getKey(), total == 0 ? 0 : (double) c.getValue() / total);
        }
        return shares;
    }
}
