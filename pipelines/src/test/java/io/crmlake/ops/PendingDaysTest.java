package io.crmlake.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PendingDaysTest {
    private static final LocalDate D1 = LocalDate.parse("2026-11-01");
    private static final LocalDate D2 = LocalDate.parse("2026-11-02");
    private static final LocalDate D3 = LocalDate.parse("2026-11-03");

    @Test
    void anEarlierDayIngestedButNotCleanedIsPending() {
        assertThat(PendingDays.before(D3, Set.of(D1, D2, D3), Set.of(D1, D3))).containsExactly(D2);
    }

    @Test
    void theDateItselfAndLaterDaysAreNotPending() {
        assertThat(PendingDays.before(D2, Set.of(D1, D2, D3), Set.of(D1))).isEmpty();
    }

    @Test
    void daysNeverIngestedAreNotPending() {
        // A warehouse started on D2 (older exports left in the landing zone) owes nothing for D1.
        assertThat(PendingDays.before(D3, Set.of(D2, D3), Set.of(D2, D3))).isEmpty();
    }
}
