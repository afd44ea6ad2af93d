package io.crmlake.models.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import io.crmlake.models.registry.Json;
import io.crmlake.models.registry.RegistryEntry;
import io.crmlake.testing.SharedSpark;

/**
 * A fitted model saved as the segment job registers it — pipeline in a folder, names, profiles
 * and silhouettes in the registry metrics — loads back as the same model: same parameters, names,
 * silhouettes and profiles, and the same rows for the same features.
 */
class RegisteredSegmentModelTest {
    /** Not the defaults, so that the loaded parameters must come from the registry entry. */
    private static final SegmentParams PARAMS = SegmentParams.defaults().withKRange(3, 4).withMaxIter(10).withSeed(7);

    @Test
    void aRegisteredModelLoadsBackAsTheFittedOne() throws IOException {
        Dataset<Row> features = PlantedCustomers.features(SharedSpark.get()).cache();
        SegmentModel fitted = SegmentTrainer.fit(features, PARAMS, List.of(), "20261101-test");
        String path = SharedSpark.tempDir("registered-segment").resolve("model").toString();
        fitted.pipeline().save(path);
        RegistryEntry entry = new RegistryEntry(SegmentBatch.MODEL, fitted.modelVersion(), Instant.now(),
                PlantedCustomers.AS_OF.toLocalDate(), PARAMS.describe(), Json.of(RegisteredSegmentModel.metrics(fitted)),
                "{}", path, RegistryEntry.CURRENT, null);

        assertThat(RegisteredSegmentModel.hasNames(entry)).isTrue();
        SegmentModel loaded = RegisteredSegmentModel.load(entry, PARAMS.newTenureDays());
        assertThat(loaded.params()).isEqualTo(PARAMS);
        assertThat(loaded.modelVersion()).isEqualTo(fitted.modelVersion());
        assertThat(loaded.names()).isEqualTo(fitted.names());
        assertThat(loaded.silhouettes()).isEqualTo(fitted.silhouettes());
        assertThat(loaded.profiles()).isEqualTo(fitted.profiles());
        assertThat(loaded.assignments(features).orderBy("customer_id").collectAsList())
                .containsExactlyElementsOf(fitted.assignments(features).orderBy("customer_id").collectAsList());
        features.unpersist();
    }

    @Test
    void anEntryRegisteredBeforeNamesWereKeptHasNoNames() {
        RegistryEntry old = new RegistryEntry(SegmentBatch.MODEL, "20261031-00000000", Instant.now(),
                PlantedCustomers.AS_OF.toLocalDate(), PARAMS.describe(), "{\"k\":4,\"segments\":[\"New\",\"Loyal\"]}",
                "{}", "/nowhere", RegistryEntry.CURRENT, null);
        assertThat(RegisteredSegmentModel.hasNames(old)).isFalse();
    }

    @Test
    void parametersRoundTripThroughTheirDescription() {
        SegmentParams auto = SegmentParams.defaults();
        assertThat(SegmentParams.fromDescription(auto.describe(), auto.newTenureDays())).isEqualTo(auto);
        SegmentParams fixed = auto.withK(5).withSeed(1L << 40);
        assertThat(SegmentParams.fromDescription(fixed.describe(), fixed.newTenureDays())).isEqualTo(fixed);
    }
}
