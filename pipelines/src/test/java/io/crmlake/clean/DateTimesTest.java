package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.config.SourceMapping;
import io.crmlake.testing.SharedSpark;

/** Dates and timestamps in the forms exports write them, each with the instant or day it must read as. */
class DateTimesTest {
    private final SparkSession spark = SharedSpark.get();
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void isoTimestampsWithOrWithoutSecondsFractionsAndOffsets() {
        DateTimes dt = new DateTimes(List.of(), List.of(), UTC);
        assertThat(timestamps(dt,
                "2024-01-01T00:04:10",          // local, read in UTC
                "2024-01-01 00:04:10",
                "2024-01-01T00:04",             // no seconds
                "2024-01-01T00:04:10.5",        // a fraction
                "2024-01-01T00:04:10,5",        // a comma fraction
                "2024-01-01T00:04:10.123456789", // nanoseconds: microseconds kept
                "2024-01-01T00:04:10Z",
                "2024-01-01T01:04:10+01:00",
                "2024-01-01T01:04:10+0100",
                "2024-01-01T01:04:10+01",
                "2023-12-31T19:04:10 -05:00",
                "2024-1-1 0:04:10",
                "2024-01-01"))                  // a date alone: midnight
                .containsExactly(
                        utc("2024-01-01T00:04:10Z"), utc("2024-01-01T00:04:10Z"), utc("2024-01-01T00:04:00Z"),
                        utc("2024-01-01T00:04:10.500Z"), utc("2024-01-01T00:04:10.500Z"),
                        utc("2024-01-01T00:04:10.123456Z"), utc("2024-01-01T00:04:10Z"), utc("2024-01-01T00:04:10Z"),
                        utc("2024-01-01T00:04:10Z"), utc("2024-01-01T00:04:10Z"), utc("2024-01-01T00:04:10Z"),
                        utc("2024-01-01T00:04:10Z"), utc("2024-01-01T00:00:00Z"));
    }

    @Test
    void valuesNoFormReadsAreNull() {
        DateTimes dt = new DateTimes(List.of(), List.of("yyyy-MM-dd HH:mm:ss"), UTC);
        assertThat(timestamps(dt, "2024", "2024-01", "2024-13-01T10:00:00", "2024-01-01T25:00:00", "yesterday",
                "2024-01-01T10:00:00+99:00", "", null)).containsOnlyNulls();
    }

    @Test
    void localTimesAreReadInTheMappingsTimeZoneAndOffsetsAsWritten() {
        DateTimes berlin = new DateTimes(List.of(), List.of("dd.MM.yyyy HH:mm", "yyyy-MM-dd'T'HH:mm:ssXXX"),
                ZoneId.of("Europe/Berlin"));
        assertThat(timestamps(berlin,
                "2024-01-01T00:04:10",          // winter: UTC+1
                "2024-07-01T00:04:10",          // summer: UTC+2
                "2024-07-01T00:04:10Z",         // an offset wins over the zone
                "01.07.2024 00:04",             // a local pattern: in the zone too
                "2024-07-01T00:04:10+02:00"))   // a pattern with an offset: as written
                .containsExactly(utc("2023-12-31T23:04:10Z"), utc("2024-06-30T22:04:10Z"), utc("2024-07-01T00:04:10Z"),
                        utc("2024-06-30T22:04:00Z"), utc("2024-06-30T22:04:10Z"));
    }

    @Test
    void commonDateFormsOfTheCanonicalMapping() {
        DateTimes dt = SourceMapping.load("canonical").dateTimes();
        assertThat(dates(dt, "2026-03-04", "03/04/2026", "3/4/2026", "04.03.2026", "4.3.2026", "2026/03/04",
                "20260304", "4 Mar 2026", "Mar 4, 2026", "2026-03-04T23:59:59", "2026-03-04T23:30:00-05:00",
                "2026-03-04 23:59:59", "2026-13-45", "yesterday", null))
                .containsExactly(day("2026-03-04"), day("2026-03-04"), day("2026-03-04"), day("2026-03-04"),
                        day("2026-03-04"), day("2026-03-04"), day("2026-03-04"), day("2026-03-04"), day("2026-03-04"),
                        day("2026-03-04"), day("2026-03-04"), day("2026-03-04"), null, null, null);
    }

    @Test
    void theCanonicalMappingReadsSpreadsheetAndIsoTimestamps() {
        DateTimes dt = SourceMapping.load("canonical").dateTimes();
        assertThat(timestamps(dt, "2026-11-01 10:15:00", "2026-11-01T10:15:00Z", "2026-11-01T12:15:00.000+0200",
                "12/1/2010 8:26", "12/01/2010 08:26:30", "2026-11-01 25:00:00"))
                .containsExactly(utc("2026-11-01T10:15:00Z"), utc("2026-11-01T10:15:00Z"), utc("2026-11-01T10:15:00Z"),
                        utc("2010-12-01T08:26:00Z"), utc("2010-12-01T08:26:30Z"), null);
    }

    @Test
    void patternsWithAZoneAreTold() {
        assertThat(DateTimes.hasZone("yyyy-MM-dd'T'HH:mm:ss'Z'")).as("a literal Z is UTC").isTrue();
        assertThat(DateTimes.hasZone("yyyy-MM-dd'T'HH:mm:ssXXX")).isTrue();
        assertThat(DateTimes.hasZone("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).isTrue();
        assertThat(DateTimes.hasZone("yyyy-MM-dd HH:mm:ss")).isFalse();
        assertThat(DateTimes.hasZone("dd.MM.yyyy 'um' HH:mm")).isFalse();
    }

    private static Timestamp utc(String iso) {
        return Timestamp.from(Instant.parse(iso));
    }

    private static Date day(String iso) {
        return Date.valueOf(iso);
    }

    private List<Object> timestamps(DateTimes dt, String... values) {
        return apply(dt::timestamp, values);
    }

    private List<Object> dates(DateTimes dt, String... values) {
        return apply(dt::date, values);
    }

    private List<Object> apply(java.util.function.Function<Column, Column> f, String... values) {
        Dataset<Row> df = spark.createDataset(Arrays.asList(values), Encoders.STRING()).toDF("v");
        List<Object> out = new ArrayList<>();
        for (Row r : df.select(f.apply(col("v"))).collectAsList()) {
            out.add(r.get(0));
        }
        return out;
    }
}
