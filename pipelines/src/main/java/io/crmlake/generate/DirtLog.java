package io.crmlake.generate;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

import io.crmlake.schema.Entity;

/** How much of each kind of dirt the generator planted, per entity and export day. */
final class DirtLog {
    private final Map<String, Long> counts = new TreeMap<>();

    void add(String kind, Entity entity, LocalDate day) {
        counts.merge(kind + "," + entity.tableName() + "," + day, 1L, Long::sum);
    }

    /** "kind,entity,day" → count, sorted. */
    Map<String, Long> counts() {
        return counts;
    }
}
