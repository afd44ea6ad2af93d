package io.crmlake.models.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.util.Optional;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Cuts candidate lists down to the N best per customer, after dropping products already bought. */
final class TopN {
    private TopN() {}

    /**
     * candidates: customer_id, product_id, score. bought: customer_id, product_id pairs to leave
     * out, if any. Returns customer_id, product_id, score, rank (1..n, best first; equal scores
     * ordered by product_id so the ranking is the same on every run).
     */
    static Dataset<Row> of(Dataset<Row> candidates, Optional<Dataset<Row>> bought, int n) {
        Dataset<Row> kept = bought
                .map(b -> candidates.join(b.select("customer_id", "product_id"),
                        new String[]{"customer_id", "product_id"}, "left_anti"))
                .orElse(candidates);
        return kept
                .withColumn("rank", row_number().over(Window.partitionBy("customer_id")
                        .orderBy(col("score").desc(), col("product_id"))))
                .where(col("rank").leq(n))
                .select("customer_id", "product_id", "score", "rank");
    }
}
