package io.crmlake.models.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The pairing of new clusters with the previous model's segments (no Spark). */
class NameCarryOverTest {
    @Test
    void pairingMinimisesTheTotalNotEachRowGreedily() {
        // Greedy takes row 0 → column 0 (cost 1) and is left with 100; the best total is 2 + 1.
        assertThat(NameCarryOver.cheapestPairing(new double[][]{{1, 2}, {1, 100}})).containsExactly(1, 0);
    }

    @Test
    void withMoreRowsThanColumnsTheCostliestRowStaysUnpaired() {
        double[][] cost = {{5, 9}, {0.5, 7}, {8, 1}};
        assertThat(NameCarryOver.cheapestPairing(cost)).containsExactly(-1, 0, 1);
    }

    @Test
    void withMoreColumnsThanRowsTheFarthestColumnIsLeftOut() {
        double[][] cost = {{3, 9, 1}, {2, 8, 6}};
        assertThat(NameCarryOver.cheapestPairing(cost)).containsExactly(2, 0);
    }

    @Test
    void eachNewClusterTakesTheNameOfTheNearestPreviousSegment() {
        List<ClusterProfile> previous = List.of(profile(7, "Champions", 10, 10), profile(8, "New", 0, 0),
                profile(9, "Hibernating", -10, 5));
        List<ClusterProfile> current = List.of(profile(0, null, 0.5, -0.2), profile(1, null, 9, 11),
                profile(2, null, 50, 50), profile(3, null, -9, 6));
        List<ClusterProfile> named = NameCarryOver.carryOver(current, previous, p -> new double[]{p.mean("x"), p.mean("y")});
        assertThat(named).extracting(ClusterProfile::name).containsExactly("New", "Champions", null, "Hibernating");
    }

    private static ClusterProfile profile(int id, String name, double x, double y) {
        return new ClusterProfile(id, name, 10, Map.of("x", x, "y", y));
    }
}
