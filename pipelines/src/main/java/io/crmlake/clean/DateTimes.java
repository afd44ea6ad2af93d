package io.crmlake.clean;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_utc_timestamp;
import static org.apache.spark.sql.functions.when;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * Dates and timestamps as exports write them. A value in an ISO 8601 form is read as such: a
 * date, or a date and a time separated by {@code T} or a space, with or without seconds and a
 * fraction, with or without an offset ({@code Z}, {@code +01:00}, {@code +0100}, {@code +01}).
 * Any other value is read by the source mapping's patterns, in their order. A time without an
 * offset (in the value, or in the pattern that read it) is a wall-clock time in the mapping's
 * time zone and stored as UTC; a value with an offset means what it says. A value nothing reads
 * is null, for the rules to quarantine.
 *
 * <p>The ISO forms are read by Spark's own string-to-timestamp cast, after a regular expression
 * has checked that the value is one of them: the cast alone also takes a bare year or a year and
 * a month, which no export means as a point in time. They are tried first because they are
 * unambiguous and because a pattern that does not fit costs an exception per value inside Spark.
 */
public final class DateTimes {
    /** A calendar date, year first. */
    private static final String ISO_DATE = "\\d{4}-\\d{1,2}-\\d{1,2}";
    /** Hours and minutes, optional seconds and fraction (dot or comma). */
    private static final String ISO_TIME = "\\d{1,2}:\\d{2}(:\\d{2}([.,]\\d{1,9})?)?";
    /** Z, or a signed hour offset with optional minutes, colon optional. */
    private static final String ISO_OFFSET = "(Z|z|[+-]\\d{2}(:?\\d{2})?)";
    static final String ISO = "^" + ISO_DATE + "([Tt ]" + ISO_TIME + "\\s*" + ISO_OFFSET + "?)?$";
    private static final String WITH_OFFSET = "[Tt ]" + ISO_TIME + "\\s*" + ISO_OFFSET + "$";

    private final List<String> datePatterns;
    private final List<String> timestampPatterns;
    private final ZoneId zone;

    /**
     * @param datePatterns      tried in order for date columns that are not ISO (then the date part of the timestamp patterns)
     * @param timestampPatterns tried in order for timestamp columns that are not ISO
     * @param zone              where local times were written
     */
    public DateTimes(List<String> datePatterns, List<String> timestampPatterns, ZoneId zone) {
        this.datePatterns = List.copyOf(datePatterns);
        this.timestampPatterns = List.copyOf(timestampPatterns);
        this.zone = zone;
    }

    /** UTC timestamp of a delivered value; null when no pattern and no ISO form reads it. */
    public Column timestamp(Column raw) {
        Column t = Normalize.text(raw);
        List<Column> tries = new ArrayList<>();
        tries.add(iso(t));
        for (String p : timestampPatterns) {
            Column read = tryTimestamp(t, p);
            tries.add(hasZone(p) ? read : inZone(read));
        }
        return coalesce(tries.toArray(Column[]::new));
    }

    /**
     * Date of a delivered value: the date an ISO value is written with (its local date, whatever
     * its offset: a sign-up on the evening of the 1st in New York was on the 1st), else a date
     * pattern, else the date part of a timestamp pattern.
     */
    public Column date(Column raw) {
        Column t = Normalize.text(raw);
        List<Column> tries = new ArrayList<>();
        tries.add(when(t.rlike(ISO), t.try_cast(DataTypes.DateType)));
        for (String p : datePatterns) {
            tries.add(to_date(tryTimestamp(t, p)));
        }
        for (String p : timestampPatterns) {
            tries.add(to_date(tryTimestamp(t, p)));
        }
        return coalesce(tries.toArray(Column[]::new));
    }

    /** An ISO 8601 value as UTC: offsets as written, local times in the zone. */
    private Column iso(Column t) {
        // Spark's cast wants a dot before the fraction and a colon in the offset, and no blank before it.
        Column normalised = regexp_replace(t, ",(\\d)", ".$1");
        normalised = regexp_replace(normalised, "\\s+([Zz+-][0-9:]*)$", "$1");
        normalised = regexp_replace(normalised, "([+-]\\d{2})(\\d{2})$", "$1:$2");
        normalised = regexp_replace(normalised, "(:\\d{2}(\\.\\d+)?)([+-]\\d{2})$", "$1$3:00");
        Column read = normalised.try_cast(DataTypes.TimestampType);
        return when(t.rlike(ISO), when(t.rlike(WITH_OFFSET), read).otherwise(inZone(read)));
    }

    /** A wall-clock time read as UTC (the session's zone) moved to the instant it is in the mapping's zone. */
    private Column inZone(Column wallClockAsUtc) {
        return zone.normalized().equals(ZoneOffset.UTC) ? wallClockAsUtc
                : to_utc_timestamp(wallClockAsUtc, lit(zone.getId()));
    }

    private static Column tryTimestamp(Column value, String pattern) {
        return call_function("try_to_timestamp", value, lit(pattern));
    }

    /**
     * Whether a datetime pattern reads an offset or zone ({@code X x Z z O V} outside quotes), or
     * a quoted literal Z (UTC written as a letter).
     */
    static boolean hasZone(String pattern) {
        StringBuilder unquoted = new StringBuilder();
        boolean quoted = false;
        for (char ch : pattern.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted) {
                unquoted.append(ch);
            } else if (ch == 'Z') {
                return true;
            }
        }
        return unquoted.toString().matches(".*[XxZzOV].*");
    }
}
