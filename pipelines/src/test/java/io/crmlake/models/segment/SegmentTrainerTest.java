package io.crmlake.models.segment;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.crmlake.testing.SharedSpark;

/**
 * Segmentation of the four planted groups of {@link PlantedCustomers}. One auto-k model (k 3..5,
 * seed 42) is fitted once for the class; the refit tests fit k = 4 with another seed, which
 * numbers the clusters differently.
 */
class SegmentTrainerTest {
    private static final SegmentParams AUTO = SegmentParams.defaults().withKRange(3, 5).withMaxIter(10);
    private static final SegmentParams REFIT = AUTO.withK(4).withSeed(2);
    private static Dataset<Row> features;
    private static SegmentModel model;

    @BeforeAll
    static void fit() {
        features = PlantedCustomers.features(SharedSpark.get()).cache();
        model = SegmentTrainer.fit(features, AUTO, List.of(), "segment-v1");
    }

    @Test
    void fewerCustomersThanSegmentsCannotBeSegmented() {
        assertThatThrownBy(() -> SegmentTrainer.fit(features.limit(3), AUTO, List.of(), "segment-v0"))
                .isInstanceOf(io.crmlake.models.ModelSkipped.class)
                .hasMessageContaining("cannot segment 3 customers into [3, 4, 5] segments");
    }

    @Test
    void autoKPicksThePlantedNumberOfGroupsBySilhouette() {
        assertThat(model.k()).isEqualTo(4);
        assertThat(model.silhouettes()).containsOnlyKeys(3, 4, 5);
        assertThat(model.silhouette()).as("tight groups far apart").isGreaterThan(0.95);
        model.silhouettes().forEach((k, s) -> {
            if (k != 4) {
                assertThat(s).as("silhouette at k=%d", k).isLessThan(model.silhouette());
            }
        });
    }

    @Test
    void eachPlantedGroupIsOneSegmentAndCustomersSitCloseToTheirCentroid() {
        List<Row> rows = model.assignments(features).collectAsList();
        Map<String, Set<Integer>> idsByGroup = rows.stream().collect(Collectors.groupingBy(
                r -> PlantedCustomers.group(r.getString(0)), Collectors.mapping(r -> r.<Integer>getAs("segment_id"), Collectors.toSet())));
        assertThat(idsByGroup).hasSize(4).allSatisfy((group, ids) -> assertThat(ids).as(group).hasSize(1));
        assertThat(idsByGroup.values().stream().flatMap(Set::stream).distinct()).hasSize(4);

        Vector[] centers = model.kmeans().clusterCenters();
        double closest = Double.MAX_VALUE;
        for (int i = 0; i < centers.length; i++) {
            for (int j = i + 1; j < centers.length; j++) {
                closest = Math.min(closest, Math.sqrt(Vectors.sqdist(centers[i], centers[j])));
            }
        }
        double half = closest / 2;
        assertThat(rows).allSatisfy(r -> assertThat(r.<Double>getAs("distance")).isBetween(0.0, half));
    }

    @Test
    void rulesNameTheGroupsByTheirShape() {
        assertThat(namesByGroup(model.assignments(features))).containsOnly(
                entry("champ", "Champions"), entry("risk", "At risk"), entry("hib", "Hibernating"), entry("new", "New"));
    }

    @Test
    void assignmentsFollowTheContract() {
        Dataset<Row> a = model.assignments(features);
        assertThat(a.columns()).containsExactlyElementsOf(SegmentModel.ASSIGNMENT_COLUMNS);
        assertThat(a.schema().apply("segment_id").dataType()).isEqualTo(DataTypes.IntegerType);
        assertThat(a.schema().apply("distance").dataType()).isEqualTo(DataTypes.DoubleType);
        Row first = a.where(col("customer_id").equalTo("hib-3")).first();
        assertThat(first.<java.sql.Date>getAs("as_of_date")).isEqualTo(PlantedCustomers.AS_OF);
        assertThat(first.<String>getAs("model_version")).isEqualTo("segment-v1");
        assertThat(a.count()).isEqualTo(40);
    }

    @Test
    void profilesHoldSizeShareAndImputedMeansInTheFeaturesOwnUnits() {
        Map<String, Row> byName = model.profiles(features).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<String>getAs("segment_name"), r -> r));
        assertThat(byName).containsOnlyKeys("Champions", "At risk", "Hibernating", "New");
        assertThat(byName.values()).allSatisfy(r -> {
            assertThat(r.<Long>getAs("size")).isEqualTo(10L);
            assertThat(r.<Double>getAs("share")).isEqualTo(0.25);
            assertThat(r.<String>getAs("model_version")).isEqualTo("segment-v1");
        });
        Row champions = byName.get("Champions");
        assertThat(champions.<Double>getAs("mean_frequency")).as("18..22 twice").isCloseTo(20.0, within(1e-9));
        assertThat(champions.<Double>getAs("mean_monetary")).as("1800 + 20 i").isCloseTo(1890.0, within(1e-9));
        Row fresh = byName.get("New");
        assertThat(fresh.<Double>getAs("mean_recency_days")).as("never bought: recency = tenure, 5..14")
                .isCloseTo(9.5, within(1e-9));
        for (String zero : List.of("mean_frequency", "mean_avg_order_value", "mean_email_open_rate", "mean_return_rate")) {
            assertThat(fresh.<Double>getAs(zero)).as(zero).isZero();
        }
        assertThat(model.profiles()).extracting(ClusterProfile::name)
                .containsExactlyInAnyOrder("Champions", "At risk", "Hibernating", "New");
    }

    @Test
    void anUnknownTenureIsTheMedianTenure() {
        // 39 known tenures: new 5..14, hib 650..695, champ 700..740, risk 900..945; the 20th is 695.
        Row champ9 = model.score(features).where(col("customer_id").equalTo("champ-9")).first();
        assertThat(champ9.<Double>getAs(SegmentFeatures.imputed("tenure_days"))).isEqualTo(695.0);
    }

    @Test
    void theSavedPipelineModelScoresLikeTheFittedOne() throws IOException {
        Path dir = SharedSpark.tempDir("segment-model").resolve("model");
        model.pipeline().save(dir.toString());
        Dataset<Row> reloaded = PipelineModel.load(dir.toString()).transform(features);
        assertThat(segmentIds(reloaded)).isEqualTo(segmentIds(model.score(features)));
    }

    @Test
    void aRefitWithAnotherSeedRenumbersClustersButEveryCustomerKeepsTheName() {
        List<ClusterProfile> previous = ClusterProfile.fromProfiles(model.profiles(features), AUTO.features());
        SegmentModel refit = SegmentTrainer.fit(features, REFIT, previous, "segment-v2");

        assertThat(segmentIds(refit.score(features))).as("the seed must renumber the clusters for this test to mean anything")
                .isNotEqualTo(segmentIds(model.score(features)));
        assertThat(names(refit.assignments(features))).isEqualTo(names(model.assignments(features)));
    }

    @Test
    void previousNamesWinOverTheRulesAndOnlyNewClustersAreNamedByThem() {
        // The previous model had three segments, named by somebody else; the New group is new tonight.
        List<ClusterProfile> previous = model.profiles().stream().filter(p -> !p.name().equals("New"))
                .map(p -> p.named("Group " + p.name())).toList();
        SegmentModel refit = SegmentTrainer.fit(features, REFIT, previous, "segment-v2");
        assertThat(namesByGroup(refit.assignments(features))).containsOnly(
                entry("champ", "Group Champions"), entry("risk", "Group At risk"), entry("hib", "Group Hibernating"),
                entry("new", "New"));
    }

    private static Map<String, String> namesByGroup(Dataset<Row> assignments) {
        Map<String, String> out = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Row r : assignments.collectAsList()) {
            String group = PlantedCustomers.group(r.getString(0));
            String name = r.getAs("segment_name");
            assertThat(out.putIfAbsent(group, name)).as("one name per group").isIn(null, name);
            seen.add(name);
        }
        assertThat(seen).as("names are unique per group").hasSize(out.size());
        return out;
    }

    private static Map<String, Integer> segmentIds(Dataset<Row> scored) {
        return scored.collectAsList().stream().collect(Collectors.toMap(
                r -> r.<String>getAs("customer_id"), r -> r.<Integer>getAs("segment_id")));
    }

    private static Map<String, String> names(Dataset<Row> assignments) {
        return assignments.collectAsList().stream().collect(Collectors.toMap(
                r -> r.<String>getAs("customer_id"), r -> r.<String>getAs("segment_name")));
    }
}
