package io.crmlake.features;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.lakehouse.DeltaMetrics;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;

/**
 * silver → gold.customer_features for one as-of date. The day's rows are replaced in one commit
 * ({@code replaceWhere} on as_of_date), so re-running a date never duplicates it.
 */
public final class FeaturesBatch {
    private final Lakehouse lakehouse;
    private final FeatureParams params;

    public FeaturesBatch(Lakehouse lakehouse, FeatureParams params) {
        this.lakehouse = lakehouse;
        this.params = params;
    }

    /** Writes the features of {@code asOf}; returns the number of customer rows written. */
    public long run(LocalDate asOf) {
        Dataset<Row> features = CustomerFeatures.compute(FeatureInputs.fromSilver(lakehouse, asOf), asOf, params);
        Column[] ordered = CustomerFeatures.COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new);
        features.select(ordered).write().format("delta")
                .mode("overwrite")
                .option("replaceWhere", "as_of_date = DATE'" + asOf + "'")
                .partitionBy("as_of_date")
                .save(lakehouse.path(Table.CUSTOMER_FEATURES));
        lakehouse.register(Table.CUSTOMER_FEATURES);
        return DeltaMetrics.metric(DeltaMetrics.latest(lakehouse.delta(Table.CUSTOMER_FEATURES)), "numOutputRows");
    }
}
