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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.GoldWriter;
import io.crmlake.models.registry.Json;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.models.registry.ModelVersions;
import io.crmlake.models.registry.RegistryEntry;

/**
 * The segment job for one date: K-means is re-fitted on the night's gold.customer_features
 * (cheap, and it follows the customer base), names carried over from the latest earlier night's
 * profiles so a permuted re-fit renames nobody, then gold.customer_segments,
 * gold.segment_profiles, gold.segment_transitions (that night's rows replaced) and
 * gold.segment_history (rewritten in one commit) are written and the model registered.
 */
public final class SegmentBatch {
    public static final String MODEL = "segment";
    static final StructType HISTORY_SCHEMA = new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("segment_name", DataTypes.StringType)
            .add("valid_from", DataTypes.DateType)
            .add("valid_to", DataTypes.DateType);

    /** What the night produced. */
    public record Outcome(String modelVersion, int k, double silhouette, long customers, long moves) {}

    private final Lakehouse lakehouse;
    private final SegmentParams params;

    public SegmentBatch(Lakehouse lakehouse, SegmentParams params) {
        this.lakehouse = lakehouse;
        this.params = params;
    }

    public Outcome run(LocalDate asOf, Consumer<String> progress) {
        Dataset<Row> features = GoldWriter.featuresOf(lakehouse, asOf).cache();
        try {
            String version = ModelVersions.of(asOf, describe());
            SegmentModel model = SegmentTrainer.fit(features, params, previousProfiles(asOf), version);
            progress.accept(String.format("k = %d, silhouette %.3f, segments %s", model.k(), model.silhouette(),
                    model.names().values()));
            Dataset<Row> assignments = model.assignments(features).cache();
            long customers = GoldWriter.replaceDate(lakehouse, Table.CUSTOMER_SEGMENTS, assignments, asOf);
            GoldWriter.replaceDate(lakehouse, Table.SEGMENT_PROFILES, model.profiles(features), asOf);

            lakehouse.createIfMissing(Table.SEGMENT_HISTORY, HISTORY_SCHEMA);
            // Materialised before the overwrite: the new history is computed from the table it replaces.
            Dataset<Row> history = SegmentHistory.update(lakehouse.read(Table.SEGMENT_HISTORY), assignments, asOf)
                    .localCheckpoint();
            history.write().format("delta").mode("overwrite").save(lakehouse.path(Table.SEGMENT_HISTORY));
            lakehouse.register(Table.SEGMENT_HISTORY);
            Dataset<Row> transitions = SegmentHistory.transitions(lakehouse.read(Table.SEGMENT_HISTORY), asOf);
            GoldWriter.replaceDate(lakehouse, Table.SEGMENT_TRANSITIONS, transitions, asOf);
            Row moved = lakehouse.read(Table.SEGMENT_TRANSITIONS)
                    .where(col("as_of_date").equalTo(lit(Date.valueOf(asOf))).and(col("from_segment").isNotNull()))
                    .agg(sum("customers")).first();
            long moves = moved.isNullAt(0) ? 0 : moved.getLong(0);
            assignments.unpersist();
            register(model, asOf, version);
            progress.accept(String.format("gold.customer_segments %,d customers; %,d moved segment tonight", customers, moves));
            return new Outcome(version, model.k(), model.silhouette(), customers, moves);
        } finally {
            features.unpersist();
        }
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
                params.features());
    }

    private void register(SegmentModel model, LocalDate asOf, String version) {
        String path = lakehouse.modelPath(MODEL, version);
        try {
            model.pipeline().write().overwrite().save(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the segment model to " + path, e);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("k", model.k());
        metrics.put("silhouette", model.silhouette());
        model.silhouettes().forEach((k, s) -> metrics.put("silhouette_k" + k, s));
        metrics.put("segments", model.names().values());
        new ModelRegistry(lakehouse).promote(new RegistryEntry(MODEL, version, Instant.now(), asOf, describe(),
                Json.of(metrics), "{}", path, "candidate", null), "re-fitted nightly; names carried over from the previous night");
    }

    private String describe() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("features", params.features());
        p.put("log_features", params.logFeatures());
        p.put("k", params.k() == 0 ? "auto" : params.k());
        p.put("k_min", params.kMin());
        p.put("k_max", params.kMax());
        p.put("seed", params.seed());
        p.put("max_iter", params.maxIter());
        return Json.of(p);
    }
}
