package io.crmlake.models.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.testing.SharedSpark;

/** The registry on a real Delta table, and the promotion gate's decisions. */
class ModelRegistryTest {

    private static RegistryEntry entry(String version, String day) {
        return new RegistryEntry("propensity", version, Instant.parse(day + "T03:00:00Z"), LocalDate.parse(day),
                "{\"max_depth\":4}", "{\"auc_pr\":0.5}", "{}", "/models/propensity/" + version, "candidate", null);
    }

    @Test
    void promotionRetiresThePreviousVersionAndRejectionKeepsIt() {
        Lakehouse lh = new Lakehouse(SharedSpark.get(), SharedSpark.tempDir("registry").toString());
        ModelRegistry registry = new ModelRegistry(lh);
        assertThat(registry.current("propensity")).isEmpty();

        registry.promote(entry("v1", "2026-11-01"), "first model");
        registry.promote(entry("v1", "2026-11-01"), "first model"); // a re-run: same row, not a second one
        assertThat(registry.all("propensity")).hasSize(1);
        assertThat(registry.current("propensity")).get().extracting(RegistryEntry::modelVersion).isEqualTo("v1");

        registry.promote(entry("v2", "2026-11-08"), "better");
        assertThat(registry.current("propensity")).get().extracting(RegistryEntry::modelVersion).isEqualTo("v2");
        assertThat(registry.version("propensity", "v1")).get()
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(RegistryEntry.RETIRED);
                    assertThat(e.note()).isEqualTo("replaced by v2");
                });

        registry.reject(entry("v3", "2026-11-15"), "auc_pr 0.40 vs current 0.50");
        assertThat(registry.current("propensity")).get().extracting(RegistryEntry::modelVersion).isEqualTo("v2");
        assertThat(registry.version("propensity", "v3")).get().extracting(RegistryEntry::status)
                .isEqualTo(RegistryEntry.REJECTED);
        assertThat(registry.all("propensity")).hasSize(3);
        assertThat(registry.current("recommend")).isEmpty();

        // A night the data cannot train: recorded as skipped, never current, and tried again on a re-run.
        registry.skip("propensity", "v4", LocalDate.parse("2026-11-22"), "{}", "history too short");
        assertThat(registry.skippedOn("propensity", LocalDate.parse("2026-11-22"))).isTrue();
        assertThat(registry.skippedOn("propensity", LocalDate.parse("2026-11-15"))).isFalse();
        assertThat(registry.version("propensity", "v4")).as("not a trained version").isEmpty();
        assertThat(registry.currentAsOf("propensity", LocalDate.parse("2026-11-22"))).get()
                .extracting(RegistryEntry::modelVersion).isEqualTo("v2");
        registry.promote(entry("v4", "2026-11-22"), "trained on the re-run");
        assertThat(registry.skippedOn("propensity", LocalDate.parse("2026-11-22"))).as("replaced by the training").isFalse();
        assertThat(registry.all("propensity")).hasSize(4);
    }

    /** Re-runs and backfills score a past date with the model that served it, not a later one. */
    @Test
    void aPastDateGetsTheVersionCurrentThenAndABackfillLeavesALaterModelCurrent() {
        Lakehouse lh = new Lakehouse(SharedSpark.get(), SharedSpark.tempDir("registry-asof").toString());
        ModelRegistry registry = new ModelRegistry(lh);
        registry.promote(entry("v1", "2026-11-01"), "first model");
        registry.promote(entry("v8", "2026-11-08"), "better");
        registry.reject(entry("v5", "2026-11-05"), "worse");
        assertThat(versionAsOf(registry, "2026-11-03")).isEqualTo("v1");
        assertThat(versionAsOf(registry, "2026-11-06")).as("a rejected version never served").isEqualTo("v1");
        assertThat(versionAsOf(registry, "2026-11-08")).isEqualTo("v8");
        assertThat(versionAsOf(registry, "2026-11-20")).isEqualTo("v8");
        assertThat(registry.currentAsOf("propensity", LocalDate.parse("2026-10-30"))).isEmpty();

        // A date before any model is backfilled: its model serves that date, v8 stays current.
        registry.promote(entry("v0", "2026-10-25"), "first model for the backfill");
        assertThat(versionAsOf(registry, "2026-10-30")).isEqualTo("v0");
        assertThat(registry.current("propensity")).get().extracting(RegistryEntry::modelVersion).isEqualTo("v8");
        assertThat(registry.version("propensity", "v0")).get().extracting(RegistryEntry::status)
                .isEqualTo(RegistryEntry.RETIRED);
    }

    private static String versionAsOf(ModelRegistry registry, String day) {
        return registry.currentAsOf("propensity", LocalDate.parse(day)).orElseThrow().modelVersion();
    }

    /**
     * The four model jobs of a night run at the same time under Airflow and all write the
     * registry, from its creation on. Each promotion must land; none may fail on the others' commits.
     */
    @Test
    void modelJobsPromotingAtTheSameTimeAllLand() throws Exception {
        Lakehouse lh = new Lakehouse(SharedSpark.get(), SharedSpark.tempDir("registry-concurrent").toString());
        List<String> models = List.of("segment", "basket", "propensity", "recommend");
        ExecutorService pool = Executors.newFixedThreadPool(models.size());
        CountDownLatch start = new CountDownLatch(1);
        new ModelRegistry(lh); // the features job creates it before the model jobs start (Jobs.features)
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (String model : models) {
                jobs.add(pool.submit(() -> {
                    start.await();
                    ModelRegistry registry = new ModelRegistry(lh);
                    registry.promote(new RegistryEntry(model, model + "-v1", Instant.parse("2026-11-01T03:00:00Z"),
                            LocalDate.parse("2026-11-01"), "{}", "{}", "{}", "/models/" + model, "candidate", null),
                            "first model");
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> job : jobs) {
                job.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        ModelRegistry registry = new ModelRegistry(lh);
        for (String model : models) {
            assertThat(registry.current(model)).as(model).get().extracting(RegistryEntry::modelVersion)
                    .isEqualTo(model + "-v1");
        }
    }

    @Test
    void gatePromotesOnlyCandidatesNoWorseThanTheCurrentModelWithinTheTolerance() {
        PromotionGate gate = new PromotionGate("auc_pr", 0.01);
        assertThat(gate.decide(0.60, 0.55).promote()).isTrue();
        assertThat(gate.decide(0.545, 0.55).promote()).isTrue();   // within the tolerance
        PromotionGate.Decision worse = gate.decide(0.50, 0.55);
        assertThat(worse.promote()).isFalse();
        assertThat(worse.reason()).contains("auc_pr 0.5000 vs current 0.5500", "candidate rejected");
        assertThat(gate.decide(Double.NaN, 0.55).promote()).isFalse();
        assertThat(gate.decide(0.3, Double.NaN).promote()).isTrue();
    }

    @Test
    void versionsFollowTheTrainingDateAndParameters() {
        String a = ModelVersions.of(LocalDate.parse("2026-11-01"), "{\"max_depth\":4}");
        assertThat(a).matches("20261101-[0-9a-f]{8}");
        assertThat(ModelVersions.of(LocalDate.parse("2026-11-01"), "{\"max_depth\":4}")).isEqualTo(a);
        assertThat(ModelVersions.of(LocalDate.parse("2026-11-01"), "{\"max_depth\":5}")).isNotEqualTo(a);
        assertThat(ModelVersions.of(LocalDate.parse("2026-11-02"), "{\"max_depth\":4}")).startsWith("20261102-");
    }
}
