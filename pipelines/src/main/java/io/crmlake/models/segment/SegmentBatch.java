package io.crmlake.models.segment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.GoldWriter;
import io.crmlake.models.ModelSkipped;
import io.crmlake.models.registry.Json;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.models.registry.ModelVersions;
import io.crmlake.models.registry.RegistryEntry;

/**
 * The segment job for one date. K-means is refitted only on the cadence of {@link RefitCadence}:
 * a nightly refit would move customers between segments for no behavioural reason. The other
 * nights score tonight's gold.customer_features with the current saved model, so a customer whose
 * features did not change keeps their segment. A refit (no current model, or one trained
 * {@code retrainEveryDays} or more before the date) inherits its names from the latest earlier
 * night's gold.segment_profiles — the current model's segments as they were then — so a permuted
 * refit renames nobody; it is saved under {@link Lakehouse#modelPath} and promoted in
 * gold.model_registry with its names ({@link RegisteredSegmentModel}). A re-run of a date finds the
 * version it registered and scores with it, so it writes the same rows. Then gold.customer_segments,
 * gold.segment_profiles (tonight's customers profiled by the scoring model),
 * gold.segment_transitions (that night's rows replaced) and gold.segment_history (rewritten in one
 * commit) are written. With fewer customers than segments no model can be fitted: the registry
 * records the version as skipped, the current model (if any) scores, else the job is skipped
 * ({@link ModelSkipped}).
 */
public final class SegmentBatch {
    public static final String MODEL = "segment";
    static final StructType HISTORY_SCHEMA = new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("segment_name", DataTypes.StringType)
            .add("valid_from", DataTypes.DateType)
            .add("valid_to", DataTypes.DateType);

    /** Job settings around the model: the model's parameters and the refit cadence. */
    public record Settings(SegmentParams model, int retrainEveryDays) {}

    /**
     * What the night produced: which version scored and why (refitted, or scored with a saved
     * version); k and silhouette are those of the scoring model's fit.
     */
    public record Outcome(String modelVersion, String decision, int k, double silhouette, long customers,
                          long moves) {}

    /** The model that scores tonight and, in words, why this one. */
    private record Scoring(SegmentModel model, String decision) {}

    private final Lakehouse lakehouse;
    private final Settings settings;
    private final ModelRegistry registry;

    public SegmentBatch(Lakehouse lakehouse, Settings settings) {
        this.lakehouse = lakehouse;
        this.settings = settings;
        this.registry = new ModelRegistry(lakehouse);
    }

    public Outcome run(LocalDate asOf, Consumer<String> progress) {
        Dataset<Row> features = GoldWriter.featuresOf(lakehouse, asOf).cache();
        try {
            Scoring scoring = scoringModel(asOf, features);
            progress.accept(scoring.decision());
            SegmentModel model = scoring.model();
            progress.accept(String.format("%s: k = %d, silhouette %.3f, segments %s", model.modelVersion(), model.k(),
                    model.silhouette(), new TreeMap<>(model.names()).values()));
            Dataset<Row> assignments = model.assignments(features).cache();
            long customers = GoldWriter.replaceDate(lakehouse, Table.CUSTOMER_SEGMENTS, assignments, asOf);
            GoldWriter.replaceDate(lakehouse, Table.SEGMENT_PROFILES, model.profiles(features), asOf);

            lakehouse.createIfMissing(Table.SEGMENT_HISTORY, HISTORY_SCHEMA);
            // Updating the history for a date undoes everything from that date on, so a re-run or
            // backfill of a past date replays the later dates' assignments after it, in order:
            // the history then reads as if the dates had run in order once.
            List<LocalDate> replayed = datesFrom(asOf);
            Dataset<Row> history = lakehouse.read(Table.SEGMENT_HISTORY);
            for (LocalDate d : replayed) {
                Dataset<Row> ofDate = d.equals(asOf) ? assignments : lakehouse.read(Table.CUSTOMER_SEGMENTS)
                        .where(col("as_of_date").equalTo(lit(Date.valueOf(d))));
                // Materialised before the overwrite: the new history is computed from the table it replaces.
                history = SegmentHistory.update(history, ofDate, d).localCheckpoint();
            }
            history.write().format("delta").mode("overwrite").save(lakehouse.path(Table.SEGMENT_HISTORY));
            lakehouse.register(Table.SEGMENT_HISTORY);
            for (LocalDate d : replayed) {
                GoldWriter.replaceDate(lakehouse, Table.SEGMENT_TRANSITIONS,
                        SegmentHistory.transitions(lakehouse.read(Table.SEGMENT_HISTORY), d), d);
            }
            Row moved = lakehouse.read(Table.SEGMENT_TRANSITIONS)
                    .where(col("as_of_date").equalTo(lit(Date.valueOf(asOf))).and(col("from_segment").isNotNull()))
                    .agg(sum("customers")).first();
            long moves = moved.isNullAt(0) ? 0 : moved.getLong(0);
            assignments.unpersist();
            progress.accept(String.format("gold.customer_segments %,d customers; %,d moved segment tonight", customers, moves));
            return new Outcome(model.modelVersion(), scoring.decision(), model.k(), model.silhouette(), customers, moves);
        } finally {
            features.unpersist();
        }
    }

    /** {@code asOf} and every later date gold.customer_segments holds, in order. */
    private List<LocalDate> datesFrom(LocalDate asOf) {
        List<LocalDate> dates = new ArrayList<>();
        dates.add(asOf);
        lakehouse.read(Table.CUSTOMER_SEGMENTS).where(col("as_of_date").gt(lit(Date.valueOf(asOf))))
                .select("as_of_date").distinct().orderBy("as_of_date").collectAsList()
                .forEach(r -> dates.add(r.getDate(0).toLocalDate()));
        return dates;
    }

    /** The saved model {@link RefitCadence} picks, or a model refitted tonight and promoted. */
    private Scoring scoringModel(LocalDate asOf, Dataset<Row> features) {
        String version = ModelVersions.of(asOf, settings.model().describe());
        RefitCadence.Decision d = new RefitCadence(settings.retrainEveryDays())
                .decide(asOf, version, registry.version(MODEL, version), registry.currentAsOf(MODEL, asOf));
        if (!d.refit()) {
            return new Scoring(RegisteredSegmentModel.load(d.scoreWith().get(), settings.model().newTenureDays()),
                    d.reason());
        }
        List<ClusterProfile> previous = previousProfiles(asOf);
        SegmentModel fitted;
        try {
            fitted = SegmentTrainer.fit(features, settings.model(), previous, version);
        } catch (ModelSkipped skipped) {
            registry.skip(MODEL, version, asOf, settings.model().describe(), skipped.getMessage());
            Optional<RegistryEntry> current = registry.currentAsOf(MODEL, asOf).filter(RegisteredSegmentModel::hasNames);
            if (current.isEmpty()) {
                throw skipped;
            }
            return new Scoring(RegisteredSegmentModel.load(current.get(), settings.model().newTenureDays()),
                    "refit skipped (" + skipped.getMessage() + "): scored with " + current.get().modelVersion());
        }
        register(fitted, asOf, "refitted: " + d.reason() + "; " + (previous.isEmpty() ? "named by the rules"
                : "names carried over from the previous night's segments"));
        return new Scoring(fitted, "refitted " + version + ": " + d.reason());
    }

    /** Profiles of the latest night before this one, whose names the new clusters inherit. */
    private List<ClusterProfile> previousProfiles(LocalDate asOf) {
        if (!lakehouse.exists(Table.SEGMENT_PROFILES)) {
            return List.of();
        }
        Dataset<Row> earlier = lakehouse.read(Table.SEGMENT_PROFILES).where(col("as_of_date").lt(lit(Date.valueOf(asOf))));
        Row latest = earlier.agg(max("as_of_date")).first();
        if (latest.isNullAt(0)) {
            return List.of();
        }
        return ClusterProfile.fromProfiles(earlier.where(col("as_of_date").equalTo(lit(latest.getDate(0)))),
                settings.model().features());
    }

    /** Saves the fitted pipeline and makes it the current version, names and all. */
    private void register(SegmentModel model, LocalDate asOf, String note) {
        String path = lakehouse.modelPath(MODEL, model.modelVersion());
        try {
            model.pipeline().write().overwrite().save(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the segment model to " + path, e);
        }
        registry.promote(new RegistryEntry(MODEL, model.modelVersion(), Instant.now(), asOf,
                settings.model().describe(), Json.of(RegisteredSegmentModel.metrics(model)), "{}", path, "candidate",
                null), note);
    }
}
