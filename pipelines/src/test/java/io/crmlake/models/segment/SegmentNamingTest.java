package io.crmlake.models.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The naming rules on hand-made profiles (no Spark). All segments have 100 customers, so the
 * averages the rules compare with are plain means of the segment means.
 */
class SegmentNamingTest {
    private static final SegmentParams PARAMS = SegmentParams.defaults();

    /** A profile with the features the rules read; the rest 0. */
    private static ClusterProfile segment(int id, String name, long size, double recency, double frequency,
                                          double monetary, double tenure) {
        Map<String, Double> means = new LinkedHashMap<>();
        PARAMS.features().forEach(f -> means.put(f, 0.0));
        means.put("recency_days", recency);
        means.put("frequency", frequency);
        means.put("monetary", monetary);
        means.put("tenure_days", tenure);
        return new ClusterProfile(id, name, size, means);
    }

    private static ClusterProfile segment(int id, double recency, double frequency, double monetary, double tenure) {
        return segment(id, null, 100, recency, frequency, monetary, tenure);
    }

    @Test
    void sixClearlyShapedSegmentsGetTheSixNames() {
        // Averages: recency (15+5+30+20+200+400)/6 = 111.7, frequency 50.5/6 = 8.4, monetary 4360/6 = 726.7.
        List<ClusterProfile> segments = List.of(
                segment(0, 200, 15, 1500, 900),  // not recent, frequent, valuable
                segment(1, 5, 20, 2000, 700),    // recent, frequent, valuable
                segment(2, 15, 0.5, 20, 20),     // joined 20 days ago on average
                segment(3, 400, 1, 40, 700),     // not recent, neither frequent nor valuable
                segment(4, 30, 12, 700, 800),    // recent and frequent, below average monetary
                segment(5, 20, 2, 100, 300));    // recent, not frequent
        assertThat(SegmentNaming.name(segments, PARAMS)).containsOnly(
                entry(0, "At risk"), entry(1, "Champions"), entry(2, "New"), entry(3, "Hibernating"),
                entry(4, "Loyal"), entry(5, "Potential"));
    }

    @Test
    void aSecondSegmentFittingATakenNameGetsTheNextRuleThenASuffix() {
        // Three recent, frequent, valuable segments, a recent modest one and a hibernating one.
        // Averages: recency 322/5 = 64.4, frequency 64/5 = 12.8, monetary 6440/5 = 1288.
        List<ClusterProfile> segments = List.of(
                segment(0, 6, 18, 1500, 700),   // Champions-like, neither richest nor most frequent: Champions 2
                segment(1, 5, 20, 2000, 700),   // the richest Champions-like: Champions
                segment(2, 4, 6, 1000, 700),    // recent, neither frequent nor valuable: Potential
                segment(3, 300, 1, 40, 700),    // Hibernating
                segment(4, 7, 19, 1900, 700));  // Champions-like, the most frequent left: Loyal
        Map<Integer, String> names = SegmentNaming.name(segments, PARAMS);
        assertThat(names).containsOnly(
                entry(1, "Champions"), entry(4, "Loyal"), entry(2, "Potential"), entry(3, "Hibernating"),
                entry(0, "Champions 2"));
    }

    @Test
    void namesCarriedOverAreKeptAndNotGivenTwice() {
        List<ClusterProfile> segments = List.of(
                segment(0, "Champions", 100, 200, 15, 1500, 900), // carried over, whatever it looks like now
                segment(1, 5, 20, 2000, 700),
                segment(2, 400, 1, 40, 700));
        assertThat(SegmentNaming.name(segments, PARAMS)).containsOnly(
                entry(0, "Champions"), entry(1, "Loyal"), entry(2, "Hibernating"));
    }

    @Test
    void withoutTheRfmFeaturesSegmentsAreNewOrNumberedLargestFirst() {
        SegmentParams params = new SegmentParams(List.of("tenure_days", "email_open_rate"), List.of(),
                0, 3, 8, 1L, 10, 90);
        List<ClusterProfile> segments = List.of(
                new ClusterProfile(0, null, 50, Map.of("tenure_days", 400.0, "email_open_rate", 0.1)),
                new ClusterProfile(1, null, 80, Map.of("tenure_days", 500.0, "email_open_rate", 0.5)),
                new ClusterProfile(2, null, 20, Map.of("tenure_days", 30.0, "email_open_rate", 0.2)));
        assertThat(SegmentNaming.name(segments, params)).containsOnly(
                entry(0, "Segment 2"), entry(1, "Segment 1"), entry(2, "New"));
    }
}
