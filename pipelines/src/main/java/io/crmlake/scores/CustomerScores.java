package io.crmlake.scores;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import java.sql.Date;
import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.privacy.MatchKey;

/**
 * gold.customer_scores, the contract for downstream CRMs: one row per customer with features as
 * of the date, joining the night's segment, propensity and recommendations (products in rank
 * order). A customer a model did not score has nulls there (for example a customer who signed up
 * today has no segment until the next segmentation). No name, email or phone: the email only as
 * its salted hash ({@link MatchKey}). A pure transformation of its inputs, each already
 * restricted to the date.
 */
public final class CustomerScores {
    /** The table's columns; updated_at is set by the MERGE when a row's content changes. */
    public static final StructType SCHEMA = new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("as_of_date", DataTypes.DateType)
            .add("segment_name", DataTypes.StringType)
            .add("purchase_probability", DataTypes.DoubleType)
            .add("propensity_decile", DataTypes.IntegerType)
            .add("recommended_products", DataTypes.createArrayType(DataTypes.StringType))
            .add("recency_days", DataTypes.IntegerType)
            .add("frequency", DataTypes.LongType)
            .add("monetary", DataTypes.createDecimalType(14, 2))
            .add("updated_at", DataTypes.TimestampType)
            // Added after the first release: last, where ALTER TABLE ADD COLUMNS puts it in older tables.
            .add(MatchKey.COLUMN, DataTypes.StringType);

    private CustomerScores() {}

    /**
     * {@code matchKeys} holds customer_id and {@link MatchKey#COLUMN} of the customers as of the
     * date; the other inputs are the gold tables' rows of the date.
     */
    public static Dataset<Row> compute(Dataset<Row> features, Dataset<Row> segments, Dataset<Row> propensity,
            Dataset<Row> recommendations, Dataset<Row> matchKeys, LocalDate asOf) {
        Dataset<Row> recommended = recommendations
                .groupBy("customer_id")
                .agg(array_sort(collect_list(struct(col("rank"), col("product_id")))).as("ranked"))
                .select(col("customer_id"), transform(col("ranked"), r -> r.getField("product_id")).as("recommended_products"));
        return features.select("customer_id", "recency_days", "frequency", "monetary")
                .join(segments.select("customer_id", "segment_name"), "customer_id", "left")
                .join(propensity.select(col("customer_id"), col("probability").as("purchase_probability"),
                        col("decile").as("propensity_decile")), "customer_id", "left")
                .join(recommended, "customer_id", "left")
                .join(matchKeys.select("customer_id", MatchKey.COLUMN), "customer_id", "left")
                .select(
                        col("customer_id"),
                        lit(Date.valueOf(asOf)).as("as_of_date"),
                        col("segment_name"),
                        col("purchase_probability"),
                        col("propensity_decile").cast("int"),
                        col("recommended_products"),
                        col("recency_days").cast("int"),
                        col("frequency").cast("long"),
                        col("monetary").cast(DataTypes.createDecimalType(14, 2)),
                        col(MatchKey.COLUMN));
    }
}
