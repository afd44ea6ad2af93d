package io.crmlake.lakehouse;

import java.util.Map;

import org.apache.spark.sql.Row;

import io.delta.tables.DeltaTable;

/** Reads the operation metrics Delta recorded for a table's latest commit. */
public final class DeltaMetrics {
    private DeltaMetrics() {}

    /** The latest commit's operationMetrics, e.g. numOutputRows, numTargetRowsInserted. */
    public static Map<String, String> latest(DeltaTable table) {
        Row last = table.history(1).select("operationMetrics").first();
        if (last.isNullAt(0)) {
            return Map.of();
        }
        return scala.jdk.javaapi.CollectionConverters.asJava(last.<String, String>getMap(0));
    }

    public static long metric(Map<String, String> metrics, String name) {
        String v = metrics.get(name);
        return v == null ? 0L : Long.parseLong(v);
    }
}
