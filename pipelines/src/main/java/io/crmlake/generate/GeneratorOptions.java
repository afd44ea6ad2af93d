package io.crmlake.generate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/**
 * What to generate: how many customers, how many export days (the first a full export of
 * {@code historyDays} of history, the rest incremental), the random seed, where to write the
 * landing zone, and the profile of the data (see {@link Profile}).
 */
public record GeneratorOptions(int customers, int days, long seed, LocalDate firstDate, Path out, Profile profile,
                               int historyDays) {
    /** History of the full export when none is given: a year. */
    public static final int DEFAULT_HISTORY_DAYS = 365;

    /** What the generated exports look like. */
    public enum Profile {
        /**
         * The shipped sample data: dirt of every kind the cleaning rules know, at a few percent
         * (duplicates, orphans, stale versions, second formats, an empty file, a missing column).
         */
        DEFAULT,
        /**
         * What real shop exports carry: ISO 8601 local timestamps, products without category or
         * name, product versions with equal timestamps, guest checkouts, credit notes, totals that
         * are the sum of their lines; of the dirt only negative quantities and bad emails. Every
         * order can be written as a flat invoice-line export ({@link InvoiceLineWriter}).
         */
        REALISTIC;

        /** {@code default} or {@code realistic}, in any case. */
        public static Profile parse(String name) {
            for (Profile p : values()) {
                if (p.name().equalsIgnoreCase(name.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown profile '" + name + "': use default or realistic");
        }

        /** The name the command line uses. */
        public String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public GeneratorOptions {
        if (profile == null) {
            throw new IllegalArgumentException("profile must be given");
        }
        if (historyDays < 1) {
            throw new IllegalArgumentException("historyDays must be at least 1, got " + historyDays);
        }
    }

    /** The default profile with a year of history. */
    public GeneratorOptions(int customers, int days, long seed, LocalDate firstDate, Path out) {
        this(customers, days, seed, firstDate, out, Profile.DEFAULT, DEFAULT_HISTORY_DAYS);
    }

    public LocalDate lastDate() {
        return firstDate.plusDays(days - 1L);
    }

    /** First day of the simulated history: {@code historyDays} before the full export. */
    public LocalDate historyStart() {
        return firstDate.minusDays(historyDays);
    }

    public boolean realistic() {
        return profile == Profile.REALISTIC;
    }
}
