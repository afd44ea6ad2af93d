package io.crmlake.models.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.testing.SharedSpark;

/**
 * The hold-out evaluation on the planted groups of {@link PlantedPurchases}: as of 2026-11-01
 * with 28 hold-out days, training ends 2026-10-04 and the October 20 purchases are the truth.
 */
class RecommendEvaluationTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-11-01");
    private final SparkSession spark = SharedSpark.get();

    @Test
    void alsBeatsPopularityOnThePlantedGroups() {
        RecommendMetrics m = RecommendEvaluation.evaluate(PlantedPurchases.inputs(spark, true), AS_OF,
                PlantedPurchases.params(true));

        assertThat(m.k()).isEqualTo(2);
        assertThat(m.users()).as("a1..a4 and b1..b4; r1 bought nothing new, h1 has no training purchases, "
                + "a5 and n1 bought nothing in the hold-out").isEqualTo(8);
        // Popularity ranks A1, A2 (4 buyers), then A3, A4, B1.. (3). Leaving out what each bought,
        // a<i> gets [A<i>, B1]: a hit at rank 1 (a1's truth is A1 only: A2 was a re-purchase);
        // b<i> gets [A1, A2]: no hit. Over 8 customers, each with one new product:
        assertThat(m.popular().precisionAtK()).as("(4 × 1/2 + 4 × 0) / 8").isCloseTo(0.25, within(1e-12));
        assertThat(m.popular().recallAtK()).as("(4 × 1 + 4 × 0) / 8").isCloseTo(0.5, within(1e-12));
        assertThat(m.popular().mapAtK()).as("(4 × 1 + 4 × 0) / 8").isCloseTo(0.5, within(1e-12));
        // ALS puts every customer's missing in-group product first.
        assertThat(m.als().recallAtK()).isCloseTo(1.0, within(1e-12));
        assertThat(m.als().precisionAtK()).isCloseTo(0.5, within(1e-12));
        assertThat(m.als().mapAtK()).isCloseTo(1.0, within(1e-12));
        assertThat(m.alsMap()).containsEntry("k", 2).containsEntry("users", 8L).containsKey("recall_at_k");
    }

    @Test
    void nobodyToEvaluateGivesNaNNotAnError() {
        RecommendMetrics m = RecommendEvaluation.evaluate(PlantedPurchases.inputs(spark, false), AS_OF,
                PlantedPurchases.params(true));
        assertThat(m.users()).isZero();
        assertThat(m.als().recallAtK()).isNaN();
    }
}
