package io.crmlake.models.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.crmlake.testing.SharedSpark;

/**
 * Serving with purchases left out, checked against scoring every product by hand from the
 * model's own factors. Customers bought between 1 and 20 of 24 products, so they fall into
 * three serving tiers (up to 8, up to 16, up to 20 products bought).
 */
class AlsRecommenderTest {
    private static final int PRODUCTS = 24;
    private static final int TOP_N = 3;
    private final SparkSession spark = SharedSpark.get();

    @Test
    void tierBoundsDoubleFromEightAndEndAtTheMostBought() {
        assertThat(AlsRecommender.tierBounds(0)).containsExactly(0L);
        assertThat(AlsRecommender.tierBounds(5)).containsExactly(5L);
        assertThat(AlsRecommender.tierBounds(8)).containsExactly(8L);
        assertThat(AlsRecommender.tierBounds(20)).containsExactly(8L, 16L, 20L);
        assertThat(AlsRecommender.tierBounds(64)).containsExactly(8L, 16L, 32L, 64L);
    }

    @Test
    void everyTierGetsTheBestProductsItDidNotBuy() {
        Map<String, Set<String>> bought = purchases();
        List<Row> strengths = new ArrayList<>();
        bought.forEach((customer, products) -> products.forEach(p ->
                strengths.add(RowFactory.create(customer, p, 1.0 + Math.floorMod((customer + p).hashCode(), 3)))));
        Dataset<Row> strengthsFrame = spark.createDataFrame(strengths, new StructType()
                .add("customer_id", DataTypes.StringType).add("product_id", DataTypes.StringType)
                .add("strength", DataTypes.DoubleType));
        AlsRecommender als = AlsRecommender.fit(strengthsFrame, PlantedPurchases.params(true));

        Dataset<Row> customers = strengthsFrame.select("customer_id").distinct();
        Map<String, List<Row>> served = als.recommendFor(customers, TOP_N, true).collectAsList().stream()
                .collect(Collectors.groupingBy(r -> r.<String>getAs("customer_id")));
        Map<String, Map<String, Double>> scores = byHand(als);

        assertThat(served.keySet()).isEqualTo(bought.keySet());
        assertThat(bought.values().stream().mapToInt(Set::size).max().orElseThrow()).isEqualTo(20);
        served.forEach((customer, rows) -> {
            List<Row> ranked = rows.stream().sorted(Comparator.comparing(r -> r.<Integer>getAs("rank"))).toList();
            // The N best scores among the products not bought; equal scores may go either way.
            List<Double> best = scores.get(customer).entrySet().stream()
                    .filter(e -> !bought.get(customer).contains(e.getKey()))
                    .map(Map.Entry::getValue).sorted(Comparator.reverseOrder()).limit(TOP_N).toList();
            assertThat(ranked).as(customer).hasSize(TOP_N)
                    .extracting(r -> r.<String>getAs("product_id")).doesNotContainAnyElementsOf(bought.get(customer));
            for (int i = 0; i < TOP_N; i++) {
                Row r = ranked.get(i);
                assertThat(r.<Double>getAs("score")).as("%s rank %d", customer, i + 1)
                        .isCloseTo(best.get(i), within(1e-5))
                        .isCloseTo(scores.get(customer).get(r.<String>getAs("product_id")), within(1e-5));
            }
        });
    }

    /**
     * c01 buys 20 products, c02 12, c03 9, c04..c16 one to six: a spread over the tiers, with
     * overlapping tastes so ALS has something to learn.
     */
    private static Map<String, Set<String>> purchases() {
        Map<String, Set<String>> bought = new HashMap<>();
        int[] counts = {20, 12, 9, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 3};
        for (int c = 0; c < counts.length; c++) {
            Set<String> products = new HashSet<>();
            for (int k = 0; k < counts[c]; k++) {
                products.add(product((c * 5 + k * 3) % PRODUCTS));
            }
            // (c*5 + k*3) mod 24 repeats after 8 steps when c*5 is a multiple of 3: fill up in order.
            for (int p = 0; products.size() < counts[c]; p++) {
                products.add(product((c + p) % PRODUCTS));
            }
            bought.put(String.format("c%02d", c + 1), products);
        }
        return bought;
    }

    private static String product(int i) {
        return String.format("p%02d", i + 1);
    }

    /** customer → product → score, computed as ALS does (dot product of the factors, in float). */
    private static Map<String, Map<String, Double>> byHand(AlsRecommender als) {
        String[] customerLabels = als.customerIndex().labelsArray()[0];
        String[] productLabels = als.productIndex().labelsArray()[0];
        Map<String, float[]> itemFactors = new HashMap<>();
        for (Row r : als.model().itemFactors().collectAsList()) {
            itemFactors.put(productLabels[r.getInt(0)], floats(r.getList(1)));
        }
        Map<String, Map<String, Double>> scores = new HashMap<>();
        for (Row r : als.model().userFactors().collectAsList()) {
            float[] user = floats(r.getList(1));
            scores.put(customerLabels[r.getInt(0)], itemFactors.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> (double) dot(user, e.getValue()))));
        }
        return scores;
    }

    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }

    private static float dot(float[] a, float[] b) {
        float sum = 0f;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
