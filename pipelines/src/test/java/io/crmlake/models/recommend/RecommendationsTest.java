package io.crmlake.models.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

import io.crmlake.schema.Entity;
import io.crmlake.testing.SharedSpark;

/**
 * ALS and the popular fallback on the planted groups of {@link PlantedPurchases}, as of
 * 2026-10-04: the October purchases lie after it and must not be seen.
 */
class RecommendationsTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-10-04");
    private static List<Row> gold;
    private static AlsRecommender als;
    private final SparkSession spark = SharedSpark.get();

    /** gold.recommendations as of 2026-10-04, excluding purchases; computed once per class. */
    private List<Row> recommendations() {
        if (gold == null) {
            gold = Recommendations.compute(PlantedPurchases.inputs(spark, true), AS_OF, PlantedPurchases.params(true),
                    "als-test").collectAsList();
        }
        return gold;
    }

    /** ALS fitted on the purchases up to 2026-10-04; fitted once per class. */
    private AlsRecommender recommender() {
        if (als == null) {
            RecommendInputs in = PlantedPurchases.inputs(spark, true);
            als = AlsRecommender.fit(InteractionStrengths.compute(in.orders(), in.orderItems(), AS_OF, 90.0),
                    PlantedPurchases.params(true));
        }
        return als;
    }

    /** One customer's rows, best first. */
    private static List<Row> of(List<Row> rows, String customer) {
        return rows.stream().filter(r -> r.getAs("customer_id").equals(customer))
                .sorted(Comparator.comparing(r -> r.<Integer>getAs("rank"))).toList();
    }

    /** customer → product ids, best first. */
    private static Map<String, List<String>> lists(List<Row> recommendations) {
        return recommendations.stream()
                .sorted(Comparator.comparing(r -> r.<Integer>getAs("rank")))
                .collect(Collectors.groupingBy(r -> r.getAs("customer_id"),
                        Collectors.mapping(r -> r.<String>getAs("product_id"), Collectors.toList())));
    }

    @Test
    void alsRecommendsTheMissingProductOfTheCustomersOwnGroup() {
        Map<String, List<String>> recs = lists(recommendations());
        for (int i = 1; i <= 4; i++) {
            assertThat(recs.get("a" + i)).as("a%d lacks A%d", i, i).first().isEqualTo("A" + i);
            assertThat(recs.get("b" + i)).as("b%d lacks B%d", i, i).first().isEqualTo("B" + i);
        }
        assertThat(recs.get("a5")).as("a5 bought A1 only").allMatch(PlantedPurchases.GROUP_A::contains);
    }

    @Test
    void purchasedProductsAreExcludedWhenAsked() {
        RecommendInputs in = PlantedPurchases.inputs(spark, false);
        Map<String, List<String>> excluding = lists(recommender().recommendFor(in.customers(), 2, true).collectAsList());
        Map<String, List<String>> including = lists(recommender().recommendForAll(2, false).collectAsList());
        for (int i = 1; i <= 4; i++) {
            String lacking = "A" + i;
            List<String> bought = PlantedPurchases.GROUP_A.stream().filter(p -> !p.equals(lacking)).toList();
            assertThat(excluding.get("a" + i)).hasSize(2).doesNotContainAnyElementsOf(bought);
        }
        assertThat(excluding.get("a5")).hasSize(2).doesNotContain("A1");
        assertThat(including.entrySet()).as("without exclusion ALS ranks purchases back in")
                .anyMatch(e -> e.getKey().equals("a5") && e.getValue().contains("A1")
                        || e.getKey().matches("a[1-4]") && !e.getValue().get(0).equals("A" + e.getKey().charAt(1)));
    }

    @Test
    void ranksRunFromOneByScoreBestFirst() {
        RecommendInputs in = PlantedPurchases.inputs(spark, false);
        Map<String, List<Row>> byCustomer = recommender().recommendFor(in.customers(), 3, true).collectAsList().stream()
                .collect(Collectors.groupingBy(r -> r.<String>getAs("customer_id")));
        assertThat(byCustomer).isNotEmpty();
        byCustomer.forEach((customer, rows) -> {
            List<Row> ranked = rows.stream().sorted(Comparator.comparing(r -> r.<Integer>getAs("rank"))).toList();
            assertThat(ranked).extracting(r -> r.<Integer>getAs("rank")).as(customer)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, ranked.size()).boxed().toList());
            for (int i = 1; i < ranked.size(); i++) {
                double before = ranked.get(i - 1).getAs("score");
                double after = ranked.get(i).getAs("score");
                String beforeId = ranked.get(i - 1).getAs("product_id");
                String afterId = ranked.get(i).getAs("product_id");
                assertThat(before > after || before == after && beforeId.compareTo(afterId) < 0)
                        .as("%s: rank %d (%s, %f) before rank %d (%s, %f)", customer, i, beforeId, before, i + 1, afterId, after)
                        .isTrue();
            }
        });
    }

    @Test
    void customersWithoutPurchasesGetTheMostPopularProducts() {
        // Up to 2026-10-04, 10 customers bought: A1 and A2 have 4 buyers each, the others 3.
        List<Row> n1 = of(recommendations(), "n1");
        assertThat(n1).extracting(r -> r.<String>getAs("product_id")).containsExactly("A1", "A2");
        assertThat(n1).extracting(r -> r.<String>getAs("source")).containsOnly("popular");
        assertThat(n1).allSatisfy(r -> assertThat(r.<Double>getAs("score")).isCloseTo(0.4, within(1e-12)));
        assertThat(recommendations()).filteredOn(r -> r.getAs("customer_id").equals("h1"))
                .as("h1's first purchase is after the as-of date").extracting(r -> r.<String>getAs("source"))
                .containsOnly("popular");
    }

    @Test
    void guestCheckoutsCountAsBuyersOfTheirOwn() {
        Timestamp at = Timestamp.valueOf("2026-10-01 10:00:00");
        Dataset<Row> orders = spark.createDataFrame(List.of(
                RowFactory.create("O1", "c1", at, "web", "completed", "USD", BigDecimal.TEN),
                RowFactory.create("O2", null, at, "web", "completed", "USD", BigDecimal.TEN),
                RowFactory.create("O3", null, at, "web", "completed", "USD", BigDecimal.TEN)),
                Entity.ORDERS.typedSchema());
        Dataset<Row> lines = spark.createDataFrame(List.of(
                RowFactory.create("O1", 1, "P1", 1, BigDecimal.TEN, null),
                RowFactory.create("O2", 1, "P2", 1, BigDecimal.TEN, null),
                RowFactory.create("O3", 1, "P2", 1, BigDecimal.TEN, null)),
                Entity.ORDER_ITEMS.typedSchema());
        List<String> ranked = PopularProducts.ranked(orders, lines, LocalDate.parse("2026-10-02"), 30)
                .orderBy("popularity_rank").collectAsList().stream()
                .map(r -> r.getAs("product_id") + " " + r.getAs("buyers") + " " + r.getAs("share")).toList();
        assertThat(ranked).as("two guest orders are two buyers of P2, out of three").containsExactly(
                "P2 2 " + 2.0 / 3, "P1 1 " + 1.0 / 3);
    }

    @Test
    void everyCustomerGetsRanksOneToNInTheContractColumns() {
        List<Row> rows = recommendations();
        assertThat(rows.get(0).schema().fieldNames()).containsExactlyElementsOf(Recommendations.COLUMNS);
        Map<String, List<Integer>> ranks = rows.stream().collect(Collectors.groupingBy(r -> r.getAs("customer_id"),
                Collectors.mapping(r -> r.<Integer>getAs("rank"), Collectors.toList())));
        assertThat(ranks).hasSize(12).allSatisfy((c, r) -> assertThat(r).as(c).containsExactlyInAnyOrder(1, 2));
        assertThat(rows).filteredOn(r -> !r.getAs("customer_id").equals("n1") && !r.getAs("customer_id").equals("h1"))
                .extracting(r -> r.<String>getAs("source")).containsOnly("als");
        assertThat(rows).extracting(r -> r.<Date>getAs("as_of_date")).containsOnly(Date.valueOf(AS_OF));
        assertThat(rows).extracting(r -> r.<String>getAs("model_version")).containsOnly("als-test");
        assertThat(of(rows, "b2")).extracting(r -> r.<Double>getAs("score"))
                .as("rank follows the score").isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void idIndexesAreAlphabeticalAndMapBack() {
        AlsRecommender r = recommender();
        assertThat(r.productIndex().labelsArray()[0]).containsExactly("A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4");
        assertThat(r.customerIndex().labelsArray()[0])
                .containsExactly("a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4", "r1");
    }

    @Test
    void beforeAnyPurchaseThereIsNothingToRecommend() {
        Dataset<Row> recs = Recommendations.compute(PlantedPurchases.inputs(spark, false), LocalDate.parse("2026-08-01"),
                PlantedPurchases.params(true), "als-test");
        assertThat(recs.columns()).containsExactlyElementsOf(Recommendations.COLUMNS);
        assertThat(recs.count()).isZero();
    }

    @Test
    void customersWhoSignUpAfterTheAsOfDateGetNothing() {
        RecommendInputs planted = PlantedPurchases.inputs(spark, true);
        Dataset<Row> customers = planted.customers().withColumn("signup_date",
                functions.when(functions.col("customer_id").equalTo("n1"), Date.valueOf("2026-10-10"))
                        .otherwise(Date.valueOf("2026-08-01")));
        RecommendInputs in = new RecommendInputs(customers, planted.orders(), planted.orderItems());
        for (Dataset<Row> recs : List.of(Recommendations.compute(in, AS_OF, PlantedPurchases.params(true), "v"),
                Recommendations.popularForAll(in, AS_OF, PlantedPurchases.params(true), "v"))) {
            List<String> ids = recs.select("customer_id").distinct().as(Encoders.STRING()).collectAsList();
            assertThat(ids).hasSize(11).doesNotContain("n1");
        }
    }

    @Test
    void aSavedModelServesTheSameRecommendationsAndLeavesOutLaterPurchases() {
        RecommendInputs in = PlantedPurchases.inputs(spark, true);
        String path = SharedSpark.tempDir("als-model").resolve("model").toString();
        recommender().save(path);
        Dataset<Row> strengthsThen = Recommendations.strengths(in, AS_OF, PlantedPurchases.params(true));
        AlsRecommender loaded = AlsRecommender.load(path, strengthsThen);
        assertThat(lists(loaded.recommendFor(in.customers(), 2, true).collectAsList()))
                .isEqualTo(lists(recommender().recommendFor(in.customers(), 2, true).collectAsList()));

        // Served a month later: a1..a4 have since bought the product they lacked, h1 is unknown to the model.
        LocalDate later = LocalDate.parse("2026-11-04");
        AlsRecommender monthOld = AlsRecommender.load(path,
                Recommendations.strengths(in, later, PlantedPurchases.params(true)));
        Map<String, List<String>> recs = lists(Recommendations.serve(in, later, PlantedPurchases.params(true),
                monthOld, "als-old").collectAsList());
        for (int i = 1; i <= 4; i++) {
            assertThat(recs.get("a" + i)).as("a%d bought all of group A by now", i)
                    .doesNotContainAnyElementsOf(PlantedPurchases.GROUP_A);
        }
        assertThat(recs.get("h1")).as("h1 gets popular products without the B1 it bought").doesNotContain("B1")
                .hasSize(2);
    }
}
