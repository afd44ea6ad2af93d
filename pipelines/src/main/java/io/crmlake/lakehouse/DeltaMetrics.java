package io.crmlake.lakehouse;

import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;

import io.delta.tables.DeltaTable;

/** Reads the operation metrics Delta recorded for a table's latest write. */
public final class DeltaMetrics {
    /** Commits looked at, newest first, for the latest that is not a compaction. */
    private static final int LOOK_BACK = 10;

    private DeltaMetrics() {}

    /**
     * The operationMetrics of the table's latest commit that is not a compaction, e.g.
     * numOutputRows, numTargetRowsInserted. An OPTIMIZE (run by hand, by a maintenance job or by
     * Delta's auto compaction right after a write) may land between a job's write and this read;
     * its metrics count files rewritten, not the rows the job wrote, so it is passed over.
     */
    public static Map<String, String> latest(DeltaTable table) {
        List<Row> recent = table.history(LOOK_BACK).select("operation", "operationMetrics").collectAsList();
        for (Row commit : recent) {
            if (!"OPTIMIZE".equals(commit.getString(0))) {
                return commit.isNullAt(1) ? Map.of()
                        : scala.jdk.javaapi.CollectionConverters.asJava(commit.<String, String>getMap(1));
            }
        }
        return Map.of();
    }

    public static long metric(Map<String, String> metrics, String name) {
        String v = metrics.get(name);
        return v == null ? 0L : Long.parseLong(v);
    }
}
