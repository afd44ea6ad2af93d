package io.crmlake.models.propensity;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.features.FeatureInputs;
import io.crmlake.features.FeatureParams;
import io.crmlake.features.FeaturesBatch;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.ModelSkipped;
import io.crmlake.models.registry.Json;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.models.registry.RegistryEntry;
import io.crmlake.schema.Entity;
import io.crmlake.testing.SharedSpark;

/**
 * The propensity job's lakehouse side on real Delta tables: the first night trains, registers
 * and scores; a re-run of the night changes nothing; a night inside the retraining cadence scores
 * with the current model; a night past it trains a candidate that goes through the gate.
 */
class PropensityBatchTest {
    private static final LocalDate NIGHT = LocalDate.parse("2026-11-01");
    private final SparkSession spark = SharedSpark.get();

    @Test
    void trainsOnCadenceScoresNightlyAndReRunsIdempotently() {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("propensity").toString());
        FeatureInputs in = PlantedHistory.inputs(spark, NIGHT);
        write(lh, Entity.CUSTOMERS, in.customers());
        write(lh, Entity.ORDERS, in.orders());
        write(lh, Entity.ORDER_ITEMS, in.orderItems());
        write(lh, Entity.PRODUCTS, in.products());
        write(lh, Entity.INTERACTIONS, in.interactions());
        write(lh, Entity.TICKETS, in.tickets());
        PropensityBatch.Settings settings = new PropensityBatch.Settings(
                new PropensityParams(30, PropensityParams.DEFAULT_FEATURES, 10, 3, 0.3, 0.2, 7L),
                FeatureParams.defaults(), 7, "auc_pr", 0.01);
        List<String> progress = new ArrayList<>();

        // Early in the history (purchases from July 2025, two horizons needed): skipped, recorded, nothing scored.
        LocalDate early = LocalDate.parse("2025-08-01");
        assertThatThrownBy(() -> runNight(lh, settings, early, progress)).isInstanceOf(ModelSkipped.class)
                .hasMessageContaining("history too short");
        assertThat(new ModelRegistry(lh).skippedOn(PropensityBatch.MODEL, early)).isTrue();
        assertThat(new ModelRegistry(lh).current(PropensityBatch.MODEL)).isEmpty();
        assertThat(lh.exists(Table.PURCHASE_PROPENSITY)).isFalse();

        PropensityBatch.Outcome first = runNight(lh, settings, NIGHT, progress);
        assertThat(first.decision()).startsWith("registered ").endsWith(" as the first propensity model");
        assertThat(first.scored()).isEqualTo(120);
        RegistryEntry current = new ModelRegistry(lh).current(PropensityBatch.MODEL).orElseThrow();
        assertThat(current.modelVersion()).isEqualTo(first.scoringVersion()).startsWith("20261101-");
        Map<String, Object> metrics = Json.parse(current.metrics());
        assertThat(metrics).containsKeys("out_of_time_auc_pr", "held_out_auc_roc", "train_cutoff");
        assertThat(Json.parse(current.baselineMetrics())).containsKeys("logistic_auc_pr", "recency_rule_auc_pr");
        assertThat(lh.spark().read().format("parquet").load(current.path() + "/stages/*/data").count()).isPositive();
        List<Row> scoresBefore = scores(lh, NIGHT);

        PropensityBatch.Outcome rerun = runNight(lh, settings, NIGHT, progress);
        assertThat(rerun.decision()).contains("already registered");
        assertThat(scores(lh, NIGHT)).containsExactlyElementsOf(scoresBefore);
        assertThat(new ModelRegistry(lh).all(PropensityBatch.MODEL)).hasSize(2); // with the early night's skip

        PropensityBatch.Outcome nextNight = runNight(lh, settings, NIGHT.plusDays(1), progress);
        assertThat(nextNight.decision()).contains("not retrained");
        assertThat(nextNight.scoringVersion()).isEqualTo(first.scoringVersion());

        PropensityBatch.Outcome weekLater = runNight(lh, settings, NIGHT.plusDays(7), progress);
        assertThat(weekLater.decision()).containsAnyOf("promoted ", "rejected ");
        assertThat(new ModelRegistry(lh).all(PropensityBatch.MODEL)).hasSize(3);
        assertThat(lh.read(Table.PURCHASE_PROPENSITY).groupBy("as_of_date").count().count()).isEqualTo(3);
    }

    private static PropensityBatch.Outcome runNight(Lakehouse lh, PropensityBatch.Settings s, LocalDate night,
            List<String> progress) {
        new FeaturesBatch(lh, FeatureParams.defaults()).run(night);
        return new PropensityBatch(lh, s).run(night, progress::add);
    }

    private static List<Row> scores(Lakehouse lh, LocalDate night) {
        return lh.read(Table.PURCHASE_PROPENSITY).where(col("as_of_date").equalTo(java.sql.Date.valueOf(night)))
                .orderBy("customer_id").collectAsList();
    }

    private static void write(Lakehouse lh, Entity e, Dataset<Row> rows) {
        rows.write().format("delta").mode("overwrite").save(lh.path(Table.silver(e)));
    }
}
