package io.crmlake.models.registry;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON text of the registry's params and metrics columns (Jackson, as Spark ships it). NaN is written as null. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static String of(Map<String, ?> values) {
        Map<String, Object> clean = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> clean.put(k, v instanceof Double d && (d.isNaN() || d.isInfinite()) ? null : v));
        try {
            return MAPPER.writeValueAsString(clean);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String json) {
        try {
            return MAPPER.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + json, e);
        }
    }
}
