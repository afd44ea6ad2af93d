package io.crmlake.models.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;

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
