package io.crmlake.models.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.schema.Entity;
import io.crmlake.testing.SharedSpark;

/**
 * Purchase strengths and popularity on a tiny history, against numbers worked out by hand.
 * As of 2026-11-01 with a half-life of 90 days: a line bought on 2026-08-03 (90 days back) weighs
 * 0.5, on 2026-05-05 (180 days back) 0.25.
 */
class InteractionStrengthsTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-11-01");
    private final SparkSession spark = SharedSpark.get();
    private final List<Object[]> orders = new ArrayList<>();
    private final List<Object[]> items = new ArrayList<>();

    private void order(String id, String customer, String ts, String status, Object... productsAndQuantities) {
        orders.add(new Object[]{id, customer, Timestamp.from(Instant.parse(ts)), "web", status, "USD", BigDecimal.TEN});
        for (int i = 0; i < productsAndQuantities.length; i += 2) {
            items.add(new Object[]{id, i / 2 + 1, productsAndQuantities[i], productsAndQuantities[i + 1],
                    BigDecimal.ONE, BigDecimal.ZERO});
        }
    }

    private Dataset<Row> df(Entity e, List<Object[]> rows) {
        return spark.createDataFrame(rows.stream().map(RowFactory::create).toList(), e.typedSchema());
    }

    private void history() {
        order("O1", "X", "2026-11-01T20:00:00Z", "completed", "P1", 2);           // 2 × 1
        order("O2", "X", "2026-08-03T08:00:00Z", "completed", "P1", 1, "P1", 1);  // 2 lines × 0.5
        order("O3", "X", "2026-05-05T08:00:00Z", "completed", "P2", 4);           // 4 × 0.25
        order("O4", "X", "2026-10-01T08:00:00Z", "cancelled", "P2", 5);
        order("O5", "X", "2026-10-01T09:00:00Z", "returned", "P3", 1);
        order("O6", "X", "2026-11-02T00:00:00Z", "completed", "P3", 1);           // after the as-of date
        order("O7", "X", "2026-10-02T08:00:00Z", "completed", "P3", 3);           // 3 × 0.5^(30/90)
        order("O8", "Y", "2026-10-31T23:59:59Z", "completed", "P1", 1);           // 0.5^(1/90)
        order("O9", "Z", "2026-10-15T12:00:00Z", "completed", "P4", 1, "P3", 1);   // 0.5^(17/90) each
    }

    @Test
    void strengthsAreRecencyWeightedQuantitiesOfCompletedPurchases() {
        history();
        Map<String, Double> strengths = InteractionStrengths.compute(df(Entity.ORDERS, orders),
                        df(Entity.ORDER_ITEMS, items), AS_OF, 90.0)
                .collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0) + "/" + r.getString(1), r -> r.getDouble(2)));
        assertThat(strengths.keySet()).containsExactlyInAnyOrder("X/P1", "X/P2", "X/P3", "Y/P1", "Z/P3", "Z/P4");
        assertThat(strengths.get("X/P1")).as("2 + 0.5 + 0.5").isCloseTo(3.0, within(1e-12));
        assertThat(strengths.get("X/P2")).as("4 × 0.25; the cancelled 5 do not count").isCloseTo(1.0, within(1e-12));
        assertThat(strengths.get("X/P3")).as("returned and future lines do not count")
                .isCloseTo(3 * Math.pow(0.5, 30.0 / 90), within(1e-12));
        assertThat(strengths.get("Y/P1")).isCloseTo(Math.pow(0.5, 1.0 / 90), within(1e-12));
        assertThat(strengths.get("Z/P4")).isCloseTo(Math.pow(0.5, 17.0 / 90), within(1e-12));
    }

    @Test
    void popularityCountsDistinctBuyersInTheWindow() {
        history();
        order("O10", "Y", "2026-10-20T08:00:00Z", "completed", "P1", 9); // Y again: still one buyer of P1
        // 30 days: 2026-10-03 .. 2026-11-01. Buyers: X (P1), Y (P1), Z (P3, P4); O7 is a day too old.
        List<Row> ranked = PopularProducts.ranked(df(Entity.ORDERS, orders), df(Entity.ORDER_ITEMS, items), AS_OF, 30)
                .orderBy("popularity_rank").collectAsList();
        assertThat(ranked).extracting(r -> r.getAs("product_id")).containsExactly("P1", "P3", "P4");
        assertThat(ranked).extracting(r -> r.<Long>getAs("buyers")).containsExactly(2L, 1L, 1L);
        assertThat(ranked).extracting(r -> r.<Integer>getAs("popularity_rank")).containsExactly(1, 2, 3);
        Map<String, Double> share = ranked.stream()
                .collect(Collectors.toMap(r -> r.getAs("product_id"), r -> r.<Double>getAs("share")));
        assertThat(share).containsOnly(entry("P1", 2.0 / 3), entry("P3", 1.0 / 3), entry("P4", 1.0 / 3));
    }

    @Test
    void defaultsAreTheShippedOnes() {
        // The code's defaults are conf/application.conf's, as crmlake loads it with no user file.
        io.crmlake.config.Settings.Recommend shipped = io.crmlake.config.ConfigLoader
                .load(java.util.Optional.empty(), List.of()).models().recommend();
        RecommendParams p = RecommendParams.defaults();
        assertThat(List.of(p.rank(), p.maxIter(), p.topN(), p.holdoutDays(), p.k())).containsExactly(shipped.rank(),
                shipped.maxIter(), shipped.topN(), shipped.holdoutDays(), shipped.evalK());
        assertThat(List.of(p.regParam(), p.alpha(), p.halfLifeDays(), p.seed())).containsExactly(shipped.regParam(),
                shipped.alpha(), (double) shipped.halfLifeDays(), shipped.seed());
        assertThat(p.excludePurchased()).isEqualTo(shipped.excludePurchased());
    }
}
