package io.crmlake.generate;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * What to generate: how many customers, how many export days (the first a full export of about a
 * year of history, the rest incremental), the random seed and where to write the landing zone.
 */
public record GeneratorOptions(int customers, int days, long seed, LocalDate firstDate, Path out) {
    public LocalDate lastDate() {
        return firstDate.plusDays(days - 1L);
    }

    /** First day of the simulated history: a year before the full export. */
    public LocalDate historyStart() {
        return firstDate.minusDays(365);
    }
}
