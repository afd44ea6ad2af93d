package io.crmlake.generate;

import java.util.Map;

/** Rows written per entity and day, and dirt planted per kind, entity and day. */
public record GenerationSummary(Map<String, Long> rowsPerEntityDay, Map<String, Long> dirt) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("rows written (entity/day):\n");
        rowsPerEntityDay.forEach((k, v) -> sb.append(String.format("  %-28s %,9d%n", k, v)));
        long planted = dirt.values().stream().mapToLong(Long::longValue).sum();
        sb.append(String.format("dirt planted: %,d rows (see _ground_truth/dirt.csv)", planted));
        return sb.toString();
    }
}
