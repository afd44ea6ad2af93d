package io.crmlake.models.basket;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.models.AsOf;
import io.crmlake.schema.Entity;
import io.crmlake.testing.SharedSpark;

/**
 * Rules mined from ten baskets with a planted pair, against numbers worked out by hand.
 * As of 2026-11-01 with a 30-day look-back, the window holds the dates 2026-10-03 .. 2026-11-01.
 *
 * <pre>
 *   B1 P1 P2      B2 P1 P2      B3 P1 P2 P3   B4 P1 P2 P3   B5 P1 P3
 *   B6 P2 P3      B7 P3         B8 P3 P4      B9 P4         B10 P5
 * </pre>
 * 10 baskets (the single-product ones count). P1 in 5, P2 in 5, P3 in 6, P4 in 2, P5 in 1.
 * {P1,P2} in 4: support 0.4, confidence P1→P2 = 4/5 = 0.8, lift 0.8 / 0.5 = 1.6 (and P2→P1 alike).
 * {P1,P3} and {P2,P3} in 3: confidence 3/5 = 0.6, lift 0.6 / 0.6 = 1.0, dropped by min lift 1.2.
 * {P1,P2,P3} in 2: {P1,P3}→P2 has confidence 2/3 and lift (2/3) / 0.5 = 4/3, kept; so does
 * {P2,P3}→P1; {P1,P2}→P3 has confidence 2/4 and lift 0.5 / 0.6 < 1.2, dropped.
 * {P3,P4} is in 1 basket, below min support 0.15 (at least 2 baskets).
 */
class AssociationRulesTest {
    static final LocalDate AS_OF = LocalDate.parse("2026-11-01");
    static final BasketParams PARAMS = new BasketParams(30, 0.15, 0.2, 1.2, OptionalInt.empty());
    private final SparkSession spark = SharedSpark.get();

    private static Timestamp ts(String iso) {
        return Timestamp.from(Instant.parse(iso));
    }

    private Dataset<Row> df(Entity e, List<Object[]> rows) {
        return spark.createDataFrame(rows.stream().map(RowFactory::create).toList(), e.typedSchema());
    }

    BasketInputs inputs(boolean withNoise) {
        List<Object[]> orders = new ArrayList<>();
        List<Object[]> items = new ArrayList<>();
        basket(orders, items, "B1", "2026-10-20T10:00:00Z", "completed", "P1", "P2", "P1"); // P1 on two lines
        basket(orders, items, "B2", "2026-10-21T10:00:00Z", "completed", "P1", "P2");
        basket(orders, items, "B3", "2026-10-22T10:00:00Z", "completed", "P1", "P2", "P3");
        basket(orders, items, "B4", "2026-10-23T10:00:00Z", "completed", "P1", "P2", "P3");
        basket(orders, items, "B5", "2026-10-24T10:00:00Z", "completed", "P1", "P3");
        basket(orders, items, "B6", "2026-10-25T10:00:00Z", "completed", "P2", "P3");
        basket(orders, items, "B7", "2026-10-26T10:00:00Z", "completed", "P3");
        basket(orders, items, "B8", "2026-10-27T10:00:00Z", "completed", "P3", "P4");
        basket(orders, items, "B9", "2026-10-03T00:00:00Z", "completed", "P4");  // first day of the window
        basket(orders, items, "B10", "2026-11-01T23:59:59Z", "completed", "P5"); // last second of the as-of date
        if (withNoise) { // each would change the counts above if it were used
            basket(orders, items, "N1", "2026-10-02T23:59:59Z", "completed", "P3", "P4"); // before the window
            basket(orders, items, "N2", "2026-11-02T00:00:00Z", "completed", "P3", "P4"); // after the as-of date
            basket(orders, items, "N3", "2026-10-20T11:00:00Z", "cancelled", "P3", "P4");
            basket(orders, items, "N4", "2026-10-20T12:00:00Z", "returned", "P3", "P4");
        }
        Dataset<Row> products = df(Entity.PRODUCTS, List.of(
                product("P1", "Bread"), product("P2", "Butter"), product("P4", "Jam"), product("P5", "Tea")));
        return new BasketInputs(df(Entity.ORDERS, orders), df(Entity.ORDER_ITEMS, items), products); // P3 has no name
    }

    private static void basket(List<Object[]> orders, List<Object[]> items, String id, String ts, String status,
                               String... products) {
        orders.add(new Object[]{id, "C-" + id, ts(ts), "web", status, "USD", new BigDecimal("10.00")});
        for (int i = 0; i < products.length; i++) {
            items.add(new Object[]{id, i + 1, products[i], 1, new BigDecimal("5.00"), new BigDecimal("0.0000")});
        }
    }

    private static Object[] product(String id, String name) {
        return new Object[]{id, name, "Food", "Acme", new BigDecimal("5.00"), ts("2026-01-01T00:00:00Z")};
    }

    /** One rule as "antecedent -> consequent" with its measures, for readable comparisons. */
    private record R(List<String> antecedent, List<String> consequent, double support, double confidence, double lift) {}

    private static List<R> rules(Dataset<Row> rules) {
        return AssociationRules.sortedByLift(rules).collectAsList().stream()
                .map(r -> new R(r.getList(r.fieldIndex("antecedent")), r.getList(r.fieldIndex("consequent")),
                        r.getAs("support"), r.getAs("confidence"), r.getAs("lift")))
                .toList();
    }

    private static void assertRule(R actual, List<String> antecedent, String consequent, double support,
                                   double confidence, double lift) {
        assertThat(actual.antecedent()).isEqualTo(antecedent);
        assertThat(actual.consequent()).containsExactly(consequent);
        assertThat(actual.support()).as("support of %s", actual).isCloseTo(support, within(1e-9));
        assertThat(actual.confidence()).as("confidence of %s", actual).isCloseTo(confidence, within(1e-9));
        assertThat(actual.lift()).as("lift of %s", actual).isCloseTo(lift, within(1e-9));
    }

    @Test
    void rulesMatchHandComputedSupportConfidenceAndLift() {
        List<R> rules = rules(AssociationRules.mine(inputs(true), AS_OF, PARAMS, "v1"));
        assertThat(rules).as("the noise orders would add {P3,P4} twice over and change every count").hasSize(4);
        assertRule(rules.get(0), List.of("P1"), "P2", 0.4, 0.8, 1.6);
        assertRule(rules.get(1), List.of("P2"), "P1", 0.4, 0.8, 1.6);
        assertRule(rules.get(2), List.of("P1", "P3"), "P2", 0.2, 2.0 / 3, 4.0 / 3);
        assertRule(rules.get(3), List.of("P2", "P3"), "P1", 0.2, 2.0 / 3, 4.0 / 3);
    }

    @Test
    void basketsHoldCompletedOrdersOfTheWindowOnly() {
        BasketInputs in = inputs(true);
        Dataset<Row> baskets = Baskets.build(in.orders(), in.orderItems(), AsOf.of(AS_OF), 30);
        assertThat(baskets.collectAsList()).extracting(r -> r.getString(0) + r.getList(1)).containsExactlyInAnyOrder(
                "B1[P1, P2]", "B2[P1, P2]", "B3[P1, P2, P3]", "B4[P1, P2, P3]", "B5[P1, P3]", "B6[P2, P3]",
                "B7[P3]", "B8[P3, P4]", "B9[P4]", "B10[P5]");
    }

    @Test
    void aLaterAsOfDateSeesTheLaterOrderAndDropsTheOldest() {
        BasketInputs in = inputs(true);
        Dataset<Row> baskets = Baskets.build(in.orders(), in.orderItems(), AsOf.of(AS_OF.plusDays(1)), 30);
        assertThat(baskets.select("order_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                .contains("N2").doesNotContain("B9", "N1", "N3", "N4");
    }

    @Test
    void aHigherMinLiftDropsTheWeakerRules() {
        List<R> strict = rules(AssociationRules.mine(inputs(false), AS_OF,
                new BasketParams(30, 0.15, 0.2, 1.5, OptionalInt.empty()), "v1"));
        assertThat(strict).as("the 4/3 rules fall below 1.5; at 1.2 the lift-1 rules already fell")
                .extracting(R::lift).containsExactly(1.6, 1.6);
    }

    @Test
    void maxRulesKeepsTheHighestLift() {
        List<R> top = rules(AssociationRules.mine(inputs(false), AS_OF, PARAMS.withMaxRules(1), "v1"));
        assertThat(top).singleElement().satisfies(r -> assertRule(r, List.of("P1"), "P2", 0.4, 0.8, 1.6));
    }

    @Test
    void rowsFollowTheContractAndCarryProductNames() {
        Dataset<Row> rules = AssociationRules.mine(inputs(false), AS_OF, PARAMS, "basket-v7");
        assertThat(rules.columns()).containsExactlyElementsOf(AssociationRules.COLUMNS);
        Row r = rules.where(col("antecedent").equalTo(org.apache.spark.sql.functions.array(
                org.apache.spark.sql.functions.lit("P1"), org.apache.spark.sql.functions.lit("P3")))).first();
        assertThat(r.<Date>getAs("as_of_date")).isEqualTo(Date.valueOf(AS_OF));
        assertThat(r.<String>getAs("model_version")).isEqualTo("basket-v7");
        assertThat(r.getList(r.fieldIndex("antecedent_names"))).as("P3 has no product row: its id stands in")
                .containsExactly("Bread", "P3");
        assertThat(r.getList(r.fieldIndex("consequent_names"))).containsExactly("Butter");
    }

    @Test
    void noBasketsInTheWindowGiveNoRules() {
        Dataset<Row> rules = AssociationRules.mine(inputs(true), LocalDate.parse("2026-01-01"), PARAMS, "v1");
        assertThat(rules.count()).isZero();
        assertThat(rules.columns()).containsExactlyElementsOf(AssociationRules.COLUMNS);
    }

    @Test
    void defaultsAreTheShippedOnes() {
        // The code's defaults are conf/application.conf's, as crmlake loads it with no user file.
        io.crmlake.config.Settings.Basket shipped = io.crmlake.config.ConfigLoader
                .load(java.util.Optional.empty(), List.of()).models().basket();
        assertThat(BasketParams.defaults()).isEqualTo(new BasketParams(shipped.lookbackDays(), shipped.minSupport(),
                shipped.minConfidence(), shipped.minLift(), OptionalInt.empty()));
    }
}
