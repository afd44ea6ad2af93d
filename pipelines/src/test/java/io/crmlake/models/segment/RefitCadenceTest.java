package io.crmlake.models.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.crmlake.models.registry.RegistryEntry;

/** Refit or score with a saved model, on registry entries made by hand (no Spark). */
class RefitCadenceTest {
    private static final RefitCadence WEEKLY = new RefitCadence(7);
    private static final LocalDate NIGHT = LocalDate.parse("2026-11-08");
    private static final String TONIGHT = "20261108-aaaaaaaa";
    private static final String NAMED = "{\"k\":2,\"names\":{\"0\":\"New\",\"1\":\"Loyal\"}}";

    @Test
    void theFirstNightRefits() {
        RefitCadence.Decision d = WEEKLY.decide(NIGHT, TONIGHT, Optional.empty(), Optional.empty());
        assertThat(d.refit()).isTrue();
        assertThat(d.reason()).isEqualTo("no current segment model");
    }

    @Test
    void aReRunScoresWithTheVersionItRegisteredEvenWhenItIsNoLongerCurrent() {
        RegistryEntry registered = entry(TONIGHT, NIGHT, NAMED).withStatus(RegistryEntry.RETIRED, "replaced");
        RegistryEntry newer = entry("20261115-bbbbbbbb", NIGHT.plusDays(7), NAMED);
        RefitCadence.Decision d = WEEKLY.decide(NIGHT, TONIGHT, Optional.of(registered), Optional.of(newer));
        assertThat(d.scoreWith()).contains(registered);
        assertThat(d.reason()).isEqualTo("version 20261108-aaaaaaaa already registered for this date and parameters: "
                + "scored with it, not refitted");
    }

    @Test
    void theCurrentModelScoresUntilItIsRetrainEveryDaysOld() {
        RegistryEntry sixDays = entry("20261102-cccccccc", NIGHT.minusDays(6), NAMED);
        RefitCadence.Decision scored = WEEKLY.decide(NIGHT, TONIGHT, Optional.empty(), Optional.of(sixDays));
        assertThat(scored.scoreWith()).contains(sixDays);
        assertThat(scored.reason()).isEqualTo(
                "scored with current model 20261102-cccccccc trained on 2026-11-02 (refit every 7 days): not refitted");

        RegistryEntry sevenDays = entry("20261101-dddddddd", NIGHT.minusDays(7), NAMED);
        RefitCadence.Decision refit = WEEKLY.decide(NIGHT, TONIGHT, Optional.empty(), Optional.of(sevenDays));
        assertThat(refit.refit()).isTrue();
        assertThat(refit.reason()).isEqualTo(
                "current model 20261101-dddddddd trained on 2026-11-01, 7 days before (refit every 7 days)");

        assertThat(new RefitCadence(1).decide(NIGHT, TONIGHT, Optional.empty(),
                Optional.of(entry("20261107-eeeeeeee", NIGHT.minusDays(1), NAMED))).refit())
                .as("retrain-every-days = 1 refits nightly").isTrue();
    }

    @Test
    void modelsRegisteredBeforeNamesWereKeptCannotScoreAndAreRefitted() {
        String unnamed = "{\"k\":2,\"segments\":[\"New\",\"Loyal\"]}";
        RegistryEntry old = entry("20261107-ffffffff", NIGHT.minusDays(1), unnamed);
        RefitCadence.Decision d = WEEKLY.decide(NIGHT, TONIGHT, Optional.of(entry(TONIGHT, NIGHT, unnamed)),
                Optional.of(old));
        assertThat(d.refit()).isTrue();
        assertThat(d.reason()).startsWith("current model 20261107-ffffffff has no saved segment names");
    }

    @Test
    void theCadenceMustBePositive() {
        assertThatThrownBy(() -> new RefitCadence(0)).hasMessageContaining("must be positive");
    }

    private static RegistryEntry entry(String version, LocalDate trainedOn, String metrics) {
        return new RegistryEntry(SegmentBatch.MODEL, version, Instant.parse("2026-11-08T02:00:00Z"), trainedOn,
                SegmentParams.defaults().describe(), metrics, "{}", "/models/segment/" + version,
                RegistryEntry.CURRENT, "test");
    }
}
