package io.crmlake.ingest;

import java.util.Locale;

import io.crmlake.config.ConfigError;

/**
 * What ingest does with a column the source mapping does not know (schema drift: the CRM added a
 * field, or renamed one). Set by {@code crmlake.ingest.extra-columns}.
 */
public enum ExtraColumns {
    /** Kept in bronze, as a JSON object in {@code _rescued}, and quarantined rows show it. */
    KEEP,
    /** Dropped at ingest; the progress line still names them. */
    IGNORE,
    /** The job fails naming the file and the columns, before anything is written. */
    FAIL;

    public static ExtraColumns parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigError("crmlake.ingest.extra-columns must be keep, ignore or fail, got '" + value + "'");
        }
    }
}
