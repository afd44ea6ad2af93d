package io.crmlake.models.basket;

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
 * The basket job on real Delta tables, with {@link AssociationRulesTest}'s hand-counted baskets in
 * silver: the first night mines; nights inside the cadence carry those rules to their date
 * without mining (one registry entry); a re-run of the mining night mines again to the same
 * rules; the night the cadence runs out mines a new version.
 */
class BasketBatchTest {
    private static final LocalDate NIGHT = AssociationRulesTest.AS_OF;
    private final SparkSession spark = SharedSpark.get();

    @Test
    void minesOnCadenceAndCarriesTheRulesToTheNightsBetween() {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("basket").toString());
        BasketInputs in = new AssociationRulesTest().inputs(false);
        write(lh, Entity.ORDERS, in.orders());
        write(lh, Entity.ORDER_ITEMS, in.orderItems());
        write(lh, Entity.PRODUCTS, in.products());
        for (Entity e : List.of(Entity.CUSTOMERS, Entity.INTERACTIONS, Entity.TICKETS)) {
            write(lh, e, spark.createDataFrame(List.of(), e.typedSchema()));
        }
        List<String> progress = new ArrayList<>();
        BasketBatch everyThreeDays = new BasketBatch(lh, AssociationRulesTest.PARAMS, 3);

        assertThat(everyThreeDays.run(NIGHT, progress::add)).as("the four hand-counted rules").isEqualTo(4);
        assertThat(progress.get(progress.size() - 1)).contains("mined as of " + NIGHT);
        List<RegistryEntry> entries = new ModelRegistry(lh).all(BasketBatch.MODEL);
        assertThat(entries).hasSize(1);
        String version = entries.get(0).modelVersion();
        List<String> mined = rules(lh, NIGHT);

        for (int day = 1; day < 3; day++) {
            assertThat(everyThreeDays.run(NIGHT.plusDays(day), progress::add)).isEqualTo(4);
            assertThat(progress.get(progress.size() - 1)).contains("carried to " + NIGHT.plusDays(day))
                    .contains("mined on " + NIGHT);
            assertThat(rules(lh, NIGHT.plusDays(day))).containsExactlyElementsOf(mined);
            assertThat(lh.read(Table.ASSOCIATION_RULES).where(col("as_of_date").equalTo(Date.valueOf(NIGHT.plusDays(day))))
                    .select("model_version").distinct().collectAsList()).extracting(r -> r.getString(0))
                    .containsExactly(version);
        }
        assertThat(new ModelRegistry(lh).all(BasketBatch.MODEL)).as("carrying registers nothing").hasSize(1);

        assertThat(everyThreeDays.run(NIGHT, progress::add)).isEqualTo(4);
        assertThat(progress.get(progress.size() - 1)).as("a re-run of the mining night mines").contains("mined as of");
        assertThat(rules(lh, NIGHT)).containsExactlyElementsOf(mined);
        assertThat(new ModelRegistry(lh).all(BasketBatch.MODEL)).hasSize(1);

        // Three days on, the cadence has run out: mined again, from the window ending that night.
        everyThreeDays.run(NIGHT.plusDays(3), progress::add);
        assertThat(progress.get(progress.size() - 1)).contains("mined as of " + NIGHT.plusDays(3));
        assertThat(new ModelRegistry(lh).all(BasketBatch.MODEL)).hasSize(2)
                .extracting(RegistryEntry::asOfDate).containsExactlyInAnyOrder(NIGHT, NIGHT.plusDays(3));
        assertThat(lh.read(Table.ASSOCIATION_RULES).select("as_of_date").distinct().count()).isEqualTo(4);

        // A night whose 30-day window holds no basket: skipped, and the current rules stay.
        LocalDate quiet = NIGHT.plusDays(100);
        assertThat(everyThreeDays.run(quiet, progress::add)).isEqualTo(4);
        assertThat(progress).anyMatch(p -> p.startsWith("mining skipped (no baskets: no completed order with products in the 30 days up to " + quiet));
        assertThat(new ModelRegistry(lh).skippedOn(BasketBatch.MODEL, quiet)).isTrue();
        assertThat(rules(lh, quiet)).hasSize(4);
    }

    @Test
    void withoutBasketsOrRulesTheJobIsSkipped() {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("basket-none").toString());
        for (Entity e : List.of(Entity.ORDERS, Entity.ORDER_ITEMS, Entity.PRODUCTS, Entity.CUSTOMERS, Entity.INTERACTIONS,
                Entity.TICKETS)) {
            write(lh, e, spark.createDataFrame(List.of(), e.typedSchema()));
        }
        assertThatThrownBy(() -> new BasketBatch(lh, AssociationRulesTest.PARAMS).run(NIGHT, s -> { }))
                .isInstanceOf(ModelSkipped.class).hasMessageContaining("no baskets");
        assertThat(new ModelRegistry(lh).skippedOn(BasketBatch.MODEL, NIGHT)).isTrue();
        assertThat(lh.exists(Table.ASSOCIATION_RULES)).isFalse();
    }

    /** The rules of a date, as_of_date left out, in a stable order. */
    private static List<String> rules(Lakehouse lh, LocalDate night) {
        return lh.read(Table.ASSOCIATION_RULES).where(col("as_of_date").equalTo(Date.valueOf(night)))
                .drop("as_of_date").collectAsList().stream().map(Row::toString).sorted().toList();
    }

    private static void write(Lakehouse lh, Entity e, Dataset<Row> rows) {
        rows.write().format("delta").mode("overwrite").save(lh.path(Table.silver(e)));
    }
}
