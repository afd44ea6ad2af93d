package io.crmlake.models.recommend;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.ModelSkipped;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.models.registry.RegistryEntry;
import io.crmlake.schema.Entity;
import io.crmlake.testing.SharedSpark;

/**
 * The recommend job's lakehouse side on real Delta tables, with the planted purchase groups of
 * {@link PlantedPurchases} in silver (hold-out purchases on 2026-10-20): the first night trains,
 * beats popularity on the hold-out and serves; a re-run changes nothing; a night inside the
 * cadence serves with the saved model; a later candidate with degenerate parameters loses to the
 * current model on the same hold-out, is recorded as rejected, and the current model keeps
 * serving.
 */
class RecommendBatchTest {
    private static final LocalDate NIGHT = LocalDate.parse("2026-10-21");
    private final SparkSession spark = SharedSpark.get();

    @Test
    void trainsOnCadenceServesTheCurrentModelAndGatesCandidates() {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("recommend").toString());
        RecommendInputs in = PlantedPurchases.inputs(spark, true);
        write(lh, Entity.CUSTOMERS, customers(in));
        write(lh, Entity.ORDERS, in.orders());
        write(lh, Entity.ORDER_ITEMS, in.orderItems());
        for (Entity e : List.of(Entity.PRODUCTS, Entity.INTERACTIONS, Entity.TICKETS)) {
            write(lh, e, spark.createDataFrame(List.of(), e.typedSchema()));
        }
        RecommendParams good = PlantedPurchases.params(true);
        RecommendBatch.Settings settings = new RecommendBatch.Settings(good, 7, 0.0);
        List<String> progress = new ArrayList<>();

        // Before anyone bought anything: nothing to learn or recommend, the job is skipped.
        LocalDate before = LocalDate.parse("2020-01-01");
        assertThatThrownBy(() -> new RecommendBatch(lh, settings).run(before, progress::add))
                .isInstanceOf(ModelSkipped.class).hasMessageContaining("no purchases of known customers up to 2020-01-01");
        assertThat(new ModelRegistry(lh).skippedOn(RecommendBatch.MODEL, before)).isTrue();

        RecommendBatch.Outcome first = new RecommendBatch(lh, settings).run(NIGHT, progress::add);
        assertThat(first.decision()).startsWith("promoted ").contains("vs popularity baseline");
        String version = first.servingVersion().orElseThrow();
        RegistryEntry current = new ModelRegistry(lh).current(RecommendBatch.MODEL).orElseThrow();
        assertThat(current.modelVersion()).isEqualTo(version);
        assertThat(current.path()).isEqualTo(lh.modelPath(RecommendBatch.MODEL, version));
        assertThat(spark.read().format("parquet").load(current.path() + "/stages/2_*/userFactors").count())
                .as("ALS user factors saved with the model").isEqualTo(11);
        List<Row> firstRows = recommendations(lh, NIGHT);
        assertThat(firstRows).extracting(r -> r.<String>getAs("source")).contains("als");
        assertThat(firstRows).filteredOn(r -> r.getAs("customer_id").equals("n1"))
                .extracting(r -> r.<String>getAs("source")).containsOnly("popular");

        RecommendBatch.Outcome rerun = new RecommendBatch(lh, settings).run(NIGHT, progress::add);
        assertThat(rerun.decision()).contains("already registered");
        assertThat(recommendations(lh, NIGHT)).containsExactlyElementsOf(firstRows);

        RecommendBatch.Outcome nextNight = new RecommendBatch(lh, settings).run(NIGHT.plusDays(1), progress::add);
        assertThat(nextNight.decision()).contains("not retrained");
        assertThat(recommendations(lh, NIGHT.plusDays(1))).extracting(r -> r.<String>getAs("model_version"))
                .containsOnly(version);

        // One factor, regularised to nothing: every score ties, the planted groups are lost.
        RecommendParams degenerate = new RecommendParams(1, 1, 1e6, 1.0, good.halfLifeDays(), good.topN(),
                good.excludePurchased(), good.holdoutDays(), good.k(), good.seed(), good.popularityDays());
        RecommendBatch.Outcome weekLater = new RecommendBatch(lh, new RecommendBatch.Settings(degenerate, 7, 0.0))
                .run(NIGHT.plusDays(7), progress::add);
        assertThat(weekLater.decision()).startsWith("rejected ").contains("vs current " + version);
        assertThat(weekLater.servingVersion()).contains(version);
        List<RegistryEntry> all = new ModelRegistry(lh).all(RecommendBatch.MODEL);
        assertThat(all).hasSize(3).extracting(RegistryEntry::status)
                .containsExactlyInAnyOrder(RegistryEntry.SKIPPED, RegistryEntry.CURRENT, RegistryEntry.REJECTED);
        assertThat(lh.read(Table.RECOMMENDATIONS).select("as_of_date").distinct().count()).isEqualTo(3);
    }

    /** The planted customers, all signed up before the first purchase. */
    private Dataset<Row> customers(RecommendInputs in) {
        return in.customers().withColumn("signup_date", org.apache.spark.sql.functions.lit(Date.valueOf("2026-08-01")));
    }

    private static List<Row> recommendations(Lakehouse lh, LocalDate night) {
        return lh.read(Table.RECOMMENDATIONS).where(col("as_of_date").equalTo(Date.valueOf(night)))
                .orderBy("customer_id", "rank").collectAsList();
    }

    private static void write(Lakehouse lh, Entity e, Dataset<Row> rows) {
        rows.write().format("delta").mode("overwrite").save(lh.path(Table.silver(e)));
    }
}
