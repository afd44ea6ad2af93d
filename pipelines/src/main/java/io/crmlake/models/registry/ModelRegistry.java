package io.crmlake.models.registry;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.lakehouse.ConflictRetry;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;

/**
 * gold.model_registry: every model version trained, with its parameters, metrics against its
 * baselines, where it is saved and its status. At most one version per model is {@code current}.
 * Status changes are one Delta MERGE keyed on (model_name, model_version), so a promotion (new
 * version current, old one retired) is a single atomic commit, and recording the same version
 * twice (a re-run) updates it instead of adding a row. The model jobs of a night may run at the
 * same time (the Airflow DAG runs them in parallel), so every write is retried on a Delta conflict.
 */
public final class ModelRegistry {
    public static final StructType SCHEMA = new StructType()
            .add("model_name", DataTypes.StringType)
            .add("model_version", DataTypes.StringType)
            .add("trained_at", DataTypes.TimestampType)
            .add("as_of_date", DataTypes.DateType)
            .add("params", DataTypes.StringType)
            .add("metrics", DataTypes.StringType)
            .add("baseline_metrics", DataTypes.StringType)
            .add("path", DataTypes.StringType)
            .add("status", DataTypes.StringType)
            .add("note", DataTypes.StringType);

    private final Lakehouse lakehouse;

    public ModelRegistry(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
        ConflictRetry.run("create gold.model_registry", () -> lakehouse.createIfMissing(Table.MODEL_REGISTRY, SCHEMA));
        lakehouse.register(Table.MODEL_REGISTRY);
    }

    /** The version of a model that scores now, if any. */
    public Optional<RegistryEntry> current(String modelName) {
        return find(col("model_name").equalTo(modelName).and(col("status").equalTo(RegistryEntry.CURRENT)))
                .stream().findFirst();
    }

    /**
     * The version that scored on {@code date}: of the versions ever made current (current now, or
     * retired since), the one trained latest on or before that date. Tonight that is the current
     * version; for a re-run or backfill of a past date it is the version that was current then,
     * so a past date is scored as it was, not with a model trained later.
     */
    public Optional<RegistryEntry> currentAsOf(String modelName, LocalDate date) {
        return find(col("model_name").equalTo(modelName)
                .and(col("status").isin(RegistryEntry.CURRENT, RegistryEntry.RETIRED))
                .and(col("as_of_date").leq(lit(Date.valueOf(date)))))
                .stream()
                .max(Comparator.comparing(RegistryEntry::asOfDate).thenComparing(RegistryEntry::trainedAt));
    }

    /**
     * A trained version, whatever its status (current, retired, rejected); a version recorded as
     * skipped was never trained, so a re-run of its date tries again.
     */
    public Optional<RegistryEntry> version(String modelName, String version) {
        return find(col("model_name").equalTo(modelName).and(col("model_version").equalTo(version))
                .and(col("status").notEqual(RegistryEntry.SKIPPED)))
                .stream().findFirst();
    }

    /** Whether the model was skipped for that date (and nothing trained for it since). */
    public boolean skippedOn(String modelName, LocalDate date) {
        return !find(col("model_name").equalTo(modelName).and(col("as_of_date").equalTo(lit(Date.valueOf(date))))
                .and(col("status").equalTo(RegistryEntry.SKIPPED))).isEmpty();
    }

    /**
     * Records that {@code version} could not be trained on the data of {@code asOf}, and why. The
     * row keeps the version's key, so a later successful run of the date replaces it.
     */
    public void skip(String modelName, String version, LocalDate asOf, String params, String reason) {
        ConflictRetry.run("skip " + modelName + " " + version, () -> upsert(List.of(new RegistryEntry(modelName,
                version, java.time.Instant.now(), asOf, params, "{}", "{}", null, RegistryEntry.SKIPPED, reason))));
    }

    public List<RegistryEntry> all(String modelName) {
        return find(col("model_name").equalTo(modelName));
    }

    /**
     * Records {@code candidate} as current and retires the previous current version, in one commit.
     */
    public void promote(RegistryEntry candidate, String note) {
        // Read and commit again when another model's job committed in between (see ConflictRetry).
        ConflictRetry.run("promote " + candidate.modelName() + " " + candidate.modelVersion(), () -> {
            List<RegistryEntry> changes = new ArrayList<>();
            Optional<RegistryEntry> current = current(candidate.modelName())
                    .filter(c -> !c.modelVersion().equals(candidate.modelVersion()));
            if (current.isPresent() && current.get().asOfDate().isAfter(candidate.asOfDate())) {
                // A backfill of a date before the current model: the candidate served that date
                // (currentAsOf finds it) but the later current model stays current.
                changes.add(candidate.withStatus(RegistryEntry.RETIRED, note + "; trained for the past date "
                        + candidate.asOfDate() + ", " + current.get().modelVersion() + " stays current"));
            } else {
                current.ifPresent(c -> changes.add(c.withStatus(RegistryEntry.RETIRED,
                        "replaced by " + candidate.modelVersion())));
                changes.add(candidate.withStatus(RegistryEntry.CURRENT, note));
            }
            upsert(changes);
        });
    }

    /** Records a candidate that did not pass the promotion gate; the current version stays. */
    public void reject(RegistryEntry candidate, String reason) {
        ConflictRetry.run("reject " + candidate.modelName() + " " + candidate.modelVersion(),
                () -> upsert(List.of(candidate.withStatus(RegistryEntry.REJECTED, reason))));
    }

    private void upsert(List<RegistryEntry> entries) {
        List<Row> rows = new ArrayList<>();
        for (RegistryEntry e : entries) {
            rows.add(RowFactory.create(e.modelName(), e.modelVersion(), Timestamp.from(e.trainedAt()),
                    Date.valueOf(e.asOfDate()), e.params(), e.metrics(), e.baselineMetrics(), e.path(), e.status(),
                    e.note()));
        }
        Dataset<Row> source = lakehouse.spark().createDataFrame(rows, SCHEMA);
        lakehouse.delta(Table.MODEL_REGISTRY).as("t")
                .merge(source.as("s"), "t.model_name = s.model_name AND t.model_version = s.model_version")
                .whenMatched().updateAll()
                .whenNotMatched().insertAll()
                .execute();
    }

    private List<RegistryEntry> find(org.apache.spark.sql.Column condition) {
        List<RegistryEntry> out = new ArrayList<>();
        for (Row r : lakehouse.read(Table.MODEL_REGISTRY).where(condition).orderBy(col("trained_at").desc())
                .collectAsList()) {
            out.add(new RegistryEntry(r.getString(0), r.getString(1), r.getTimestamp(2).toInstant(),
                    r.getDate(3).toLocalDate(), r.getString(4), r.getString(5), r.getString(6), r.getString(7),
                    r.getString(8), r.getString(9)));
        }
        return out;
    }
}
