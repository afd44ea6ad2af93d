package io.crmlake.testing;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Rows as plain values that a Spark row and a JSON line of another reader agree on, so the two
 * compare with {@code equals}: date as "YYYY-MM-DD", timestamp as "YYYY-MM-DDTHH:MM:SS.ffffffZ"
 * (UTC, microseconds), decimal as its plain string with the column's scale, array as a list,
 * whole numbers as Long, doubles as Double, null as null. The same forms
 * {@code pipelines/src/test/python/read_delta.py} prints.
 */
public final class PlainRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MICROS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private PlainRows() {}

    /** Every row of the Dataset, in its order, each as column name to plain value. */
    public static List<Map<String, Object>> of(Dataset<Row> rows) {
        String[] columns = rows.columns();
        List<Map<String, Object>> plain = new ArrayList<>();
        for (Row row : rows.collectAsList()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.length; i++) {
                values.put(columns[i], plain(row.get(i)));
            }
            plain.add(values);
        }
        return plain;
    }

    /** One JSON object (a line of a reader's output) as column name to plain value. */
    public static Map<String, Object> fromJson(String line) {
        try {
            Map<String, Object> parsed = JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
            parsed.replaceAll((column, value) -> plain(value));
            return parsed;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + line, e);
        }
    }

    private static Object plain(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Date d) {
            return d.toLocalDate().toString();
        }
        if (value instanceof Timestamp t) {
            return MICROS_UTC.format(t.toInstant());
        }
        if (value instanceof LocalDate d) { // with spark.sql.datetime.java8API.enabled
            return d.toString();
        }
        if (value instanceof Instant t) {
            return MICROS_UTC.format(t);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof scala.collection.Seq<?> seq) { // a Spark array column
            return plainList(scala.jdk.javaapi.CollectionConverters.asJava(seq));
        }
        if (value instanceof List<?> list) { // a JSON array
            return plainList(list);
        }
        return value; // String, Double, Boolean: already the same on both sides
    }

    private static List<Object> plainList(List<?> values) {
        List<Object> plain = new ArrayList<>();
        for (Object v : values) {
            plain.add(plain(v));
        }
        return plain;
    }
}
