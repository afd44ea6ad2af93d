package io.crmlake.models.segment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.GoldWriter;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.models.registry.RegistryEntry;
import io.crmlake.testing.SharedSpark;

/**
 * The segment job's lakehouse side on real Delta tables, on the planted customers of
 * {@link PlantedCustomers} written as gold.customer_features for several nights: the first night
 * fits and registers; a re-run of it writes the same rows; a night inside the refit cadence is
 * scored with the saved model and moves nobody; a night past it refits, and customers whose
 * features did not change keep their segment name.
 */
class SegmentBatchTest {
    private static final LocalDate NIGHT = PlantedCustomers.AS_OF.toLocalDate();
    private static final SegmentParams PARAMS = SegmentParams.defaults().withK(4).withMaxIter(10);
    private static final SegmentBatch.Settings SETTINGS = new SegmentBatch.Settings(PARAMS, 7);
    /** Two champions who stopped buying by the refit night: they alone have new features then. */
    private static final List<String> LAPSED = List.of("champ-0", "champ-1");
    private final SparkSession spark = SharedSpark.get();

    @Test
    void refitsOnCadenceScoresWithTheSavedModelInBetweenAndReRunsIdempotently() {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("segment-batch").toString());
        List<String> progress = new ArrayList<>();

        SegmentBatch.Outcome first = runNight(lh, NIGHT, PlantedCustomers.features(spark), progress);
        assertThat(first.decision()).isEqualTo("refitted " + first.modelVersion() + ": no current segment model");
        assertThat(first.modelVersion()).startsWith("20261101-");
        assertThat(first.customers()).isEqualTo(40);
        List<RegistryEntry> registered = new ModelRegistry(lh).all(SegmentBatch.MODEL);
        assertThat(registered).singleElement().satisfies(e -> {
            assertThat(e.modelVersion()).isEqualTo(first.modelVersion());
            assertThat(e.status()).isEqualTo(RegistryEntry.CURRENT);
            assertThat(e.metrics()).contains("\"names\":{\"0\":");
        });
        assertThat(Path.of(URI.create(registered.get(0).path())).resolve("metadata")).as("the saved PipelineModel")
                .isDirectory();
        List<Row> segmentsBefore = segments(lh, NIGHT);
        Map<String, String> names = namesOn(lh, NIGHT);
        assertThat(names.values()).containsOnly("Champions", "At risk", "Hibernating", "New");

        SegmentBatch.Outcome rerun = new SegmentBatch(lh, SETTINGS).run(NIGHT, progress::add); // same features
        assertThat(rerun.decision()).contains("already registered", "not refitted");
        assertThat(rerun.modelVersion()).isEqualTo(first.modelVersion());
        assertThat(segments(lh, NIGHT)).containsExactlyElementsOf(segmentsBefore);
        assertThat(new ModelRegistry(lh).all(SegmentBatch.MODEL)).hasSize(1);

        LocalDate nextNight = NIGHT.plusDays(1);
        SegmentBatch.Outcome scored = runNight(lh, nextNight, PlantedCustomers.features(spark), progress);
        assertThat(scored.decision()).isEqualTo("scored with current model " + first.modelVersion()
                + " trained on 2026-11-01 (refit every 7 days): not refitted");
        assertThat(scored.modelVersion()).isEqualTo(first.modelVersion());
        assertThat(scored.moves()).isZero();
        assertThat(lh.read(Table.SEGMENT_TRANSITIONS).where(col("as_of_date").equalTo(lit(Date.valueOf(nextNight))))
                .where(col("from_segment").isNotNull()).count()).isZero();
        assertThat(segments(lh, nextNight)).extracting(r -> r.<String>getAs("model_version")).containsOnly(first.modelVersion());
        assertThat(namesOn(lh, nextNight)).isEqualTo(names);
        assertThat(lh.read(Table.SEGMENT_PROFILES).where(col("as_of_date").equalTo(lit(Date.valueOf(nextNight))))
                .collectAsList()).extracting(r -> r.<Long>getAs("size")).containsOnly(10L).hasSize(4);
        assertThat(new ModelRegistry(lh).all(SegmentBatch.MODEL)).hasSize(1);

        LocalDate weekLater = NIGHT.plusDays(7);
        SegmentBatch.Outcome refit = runNight(lh, weekLater, lapsed(PlantedCustomers.features(spark)), progress);
        assertThat(refit.decision()).startsWith("refitted " + refit.modelVersion() + ": current model "
                + first.modelVersion() + " trained on 2026-11-01, 7 days before");
        assertThat(refit.modelVersion()).startsWith("20261108-");
        ModelRegistry registry = new ModelRegistry(lh);
        assertThat(registry.all(SegmentBatch.MODEL)).hasSize(2);
        assertThat(registry.current(SegmentBatch.MODEL).orElseThrow().modelVersion()).isEqualTo(refit.modelVersion());
        assertThat(registry.version(SegmentBatch.MODEL, first.modelVersion()).orElseThrow().status())
                .isEqualTo(RegistryEntry.RETIRED);
        Map<String, String> refitNames = namesOn(lh, weekLater);
        names.forEach((customer, name) -> assertThat(refitNames.get(customer)).as(customer)
                .isEqualTo(LAPSED.contains(customer) ? "Hibernating" : name));
        assertThat(refit.moves()).isEqualTo(LAPSED.size());
        assertThat(progress).anySatisfy(p -> assertThat(p).startsWith(refit.modelVersion() + ": k = 4"));
    }

    private static SegmentBatch.Outcome runNight(Lakehouse lh, LocalDate night, Dataset<Row> features,
            List<String> progress) {
        GoldWriter.replaceDate(lh, Table.CUSTOMER_FEATURES, features.withColumn("as_of_date", lit(Date.valueOf(night))),
                night);
        return new SegmentBatch(lh, SETTINGS).run(night, progress::add);
    }

    /** The planted features with the {@link #LAPSED} champions turned into one-off buyers of long ago. */
    private static Dataset<Row> lapsed(Dataset<Row> features) {
        Column isLapsed = col("customer_id").isin(LAPSED.toArray());
        return features
                .withColumn("recency_days", when(isLapsed, lit(300)).otherwise(col("recency_days")))
                .withColumn("frequency", when(isLapsed, lit(1L)).otherwise(col("frequency")))
                .withColumn("monetary", when(isLapsed, lit(45).cast("decimal(14,2)")).otherwise(col("monetary")))
                .withColumn("avg_order_value", when(isLapsed, lit(45).cast("decimal(12,2)")).otherwise(col("avg_order_value")))
                .withColumn("orders_90d", when(isLapsed, lit(0L)).otherwise(col("orders_90d")))
                .withColumn("email_open_rate", when(isLapsed, lit(null).cast("double")).otherwise(col("email_open_rate")))
                .withColumn("email_click_rate", when(isLapsed, lit(null).cast("double")).otherwise(col("email_click_rate")))
                .withColumn("return_rate", when(isLapsed, lit(0.0)).otherwise(col("return_rate")));
    }

    private static List<Row> segments(Lakehouse lh, LocalDate night) {
        return lh.read(Table.CUSTOMER_SEGMENTS).where(col("as_of_date").equalTo(lit(Date.valueOf(night))))
                .orderBy("customer_id").collectAsList();
    }

    private static Map<String, String> namesOn(Lakehouse lh, LocalDate night) {
        return segments(lh, night).stream().collect(Collectors.toMap(
                r -> r.<String>getAs("customer_id"), r -> r.<String>getAs("segment_name")));
    }
}
