package io.crmlake.scores;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.clean.SilverVersions;
import io.crmlake.config.SecretSource;
import io.crmlake.ingest.IngestError;
import io.crmlake.privacy.MatchKey;
import io.crmlake.schema.Entity;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.propensity.PropensityBatch;
import io.crmlake.models.recommend.RecommendBatch;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.models.segment.SegmentBatch;

/**
 * Keeps gold.customer_scores current with one MERGE per night: a customer's row is rewritten
 * only when something in it other than as_of_date changed (null-safe comparison), new customers
 * are inserted, and unchanged rows are not touched, so the table's change data feed (enabled at
 * creation) carries exactly each night's changes. {@code updated_at} is when the row last changed;
 * {@code as_of_date} the batch date of the values it holds.
 *
 * <p>The table holds the latest date scored and never goes back: a run for an earlier date than
 * the one it holds (a backfill or a re-run of a past day) leaves it untouched, so re-running past
 * days in any order gives the same table as running them once in order (see {@link ScoresHeld}).
 */
public final class CustomerScoresBatch {
    /** Columns whose change makes a row change; as_of_date and updated_at follow them. */
    static final List<String> CONTENT = List.of("segment_name", "purchase_probability", "propensity_decile",
            "recommended_products", "recency_days", "frequency", "monetary", MatchKey.COLUMN);

    /**
     * Rows the MERGE inserted and updated, and the customers scored; {@code keptLater} is the later
     * date the table holds when this run left it untouched.
     */
    public record Outcome(long customers, long inserted, long updated, Optional<LocalDate> keptLater) {
        public Outcome(long customers, long inserted, long updated) {
            this(customers, inserted, updated, Optional.empty());
        }
    }

    private final Lakehouse lakehouse;
    private final Optional<SecretSource> matchKeySalt;

    /** {@code matchKeySalt}: where the salt of the email match key comes from; none leaves the key empty. */
    public CustomerScoresBatch(Lakehouse lakehouse, Optional<SecretSource> matchKeySalt) {
        this.lakehouse = lakehouse;
        this.matchKeySalt = matchKeySalt;
    }

    public Outcome run(LocalDate asOf) {
        Optional<LocalDate> later = ScoresHeld.laterThan(lakehouse, asOf);
        if (later.isPresent()) {
            return new Outcome(0, 0, 0, later);
        }
        Dataset<Row> features = ofDate(Table.CUSTOMER_FEATURES, asOf, "features");
        Dataset<Row> scores = CustomerScores.compute(
                features,
                modelOutput(Table.CUSTOMER_SEGMENTS, asOf, SegmentBatch.MODEL, new StructType()
                        .add("customer_id", DataTypes.StringType).add("segment_name", DataTypes.StringType)),
                modelOutput(Table.PURCHASE_PROPENSITY, asOf, PropensityBatch.MODEL, new StructType()
                        .add("customer_id", DataTypes.StringType).add("probability", DataTypes.DoubleType)
                        .add("decile", DataTypes.IntegerType)),
                modelOutput(Table.RECOMMENDATIONS, asOf, RecommendBatch.MODEL, new StructType()
                        .add("customer_id", DataTypes.StringType).add("rank", DataTypes.IntegerType)
                        .add("product_id", DataTypes.StringType)),
                matchKeys(features, asOf),
                asOf).cache();
        try {
            long customers = scores.count();
            lakehouse.createIfMissing(Table.CUSTOMER_SCORES, CustomerScores.SCHEMA,
                    Map.of("delta.enableChangeDataFeed", "true"));
            lakehouse.addMissingColumns(Table.CUSTOMER_SCORES, CustomerScores.SCHEMA);
            lakehouse.register(Table.CUSTOMER_SCORES);
            Column changed = lit(false);
            for (String c : CONTENT) {
                changed = changed.or(col("t." + c).eqNullSafe(col("s." + c)).unary_$bang());
            }
            Map<String, Column> values = new LinkedHashMap<>();
            for (var f : CustomerScores.SCHEMA.fields()) {
                values.put(f.name(), f.name().equals("updated_at") ? current_timestamp() : col("s." + f.name()));
            }
            Row m = lakehouse.delta(Table.CUSTOMER_SCORES).as("t")
                    .merge(scores.as("s"), col("t.customer_id").equalTo(col("s.customer_id")))
                    .whenMatched(changed).update(values)
                    .whenNotMatched().insert(values)
                    .execute()
                    .first();
            return new Outcome(customers, m.getAs("num_inserted_rows"), m.getAs("num_updated_rows"));
        } finally {
            scores.unpersist();
        }
    }

    /**
     * customer_id and the email match key of the customers as silver held them after the date;
     * without a salt every key is empty and silver is not read.
     */
    private Dataset<Row> matchKeys(Dataset<Row> features, LocalDate asOf) {
        Optional<String> salt = matchKeySalt.map(SecretSource::get);
        Dataset<Row> customers = salt.isEmpty() ? features : SilverVersions.asOf(lakehouse, Entity.CUSTOMERS, asOf);
        return customers.select(col("customer_id"),
                MatchKey.column(salt.isEmpty() ? lit(null) : col("email"), salt).as(MatchKey.COLUMN));
    }

    /**
     * A model's rows of the date; none, with the columns the scores read, when the model was
     * skipped for the date (the history cannot train it yet): its columns stay empty.
     */
    private Dataset<Row> modelOutput(Table t, LocalDate asOf, String model, StructType whenSkipped) {
        if (lakehouse.exists(t)) {
            Dataset<Row> rows = lakehouse.read(t).where(col("as_of_date").equalTo(lit(Date.valueOf(asOf))));
            if (!rows.isEmpty()) {
                return rows;
            }
        }
        if (new ModelRegistry(lakehouse).skippedOn(model, asOf)) {
            return lakehouse.spark().createDataFrame(List.of(), whenSkipped);
        }
        return ofDate(t, asOf, model); // fails, saying what to run
    }

    private Dataset<Row> ofDate(Table t, LocalDate asOf, String job) {
        if (!lakehouse.exists(t)) {
            throw new IngestError(t + " does not exist in " + lakehouse.root() + ": run `crmlake " + job
                    + " --date " + asOf + "` first");
        }
        Dataset<Row> rows = lakehouse.read(t).where(col("as_of_date").equalTo(lit(Date.valueOf(asOf))));
        // A model that did not run tonight would leave its columns silently null in the export.
        if (rows.isEmpty()) {
            throw new IngestError(t + " has no rows as of " + asOf + ": run `crmlake " + job + " --date " + asOf
                    + "` first");
        }
        return rows;
    }
}
