package io.crmlake.clean;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the classification of one entity's batch found, counted in one aggregation: rows per
 * outcome (duplicate, quarantine, superseded, valid), quarantined rows per rule, and valid rows
 * per warning. One query instead of one per count matters on small daily batches, where each
 * Spark query costs more than the data it reads.
 */
public record ClassifiedCounts(Map<String, Long> outcomes, Map<String, Long> rules, Map<String, Long> warnings) {

    public static ClassifiedCounts of(Dataset<Row> classified, List<String> warningNames) {
        List<Column> aggs = new ArrayList<>();
        for (String w : warningNames) {
            aggs.add(count_if(array_contains(col(EntityCleaner.WARNINGS), w)).as("w_" + w));
        }
        List<Row> groups = classified.groupBy(col(EntityCleaner.OUTCOME), col(EntityCleaner.RULE))
                .agg(count(lit(1)).as("rows"), aggs.toArray(Column[]::new))
                .collectAsList();
        Map<String, Long> outcomes = new TreeMap<>();
        Map<String, Long> rules = new TreeMap<>();
        Map<String, Long> warnings = new TreeMap<>();
        for (Row g : groups) {
            String outcome = g.getString(0);
            long rows = g.getLong(2);
            outcomes.merge(outcome, rows, Long::sum);
            if ("quarantine".equals(outcome)) {
                rules.merge(g.isNullAt(1) ? "null" : g.getString(1), rows, Long::sum);
            }
            if ("valid".equals(outcome)) {
                for (int i = 0; i < warningNames.size(); i++) {
                    long n = g.getLong(3 + i);
                    if (n > 0) {
                        warnings.merge(warningNames.get(i), n, Long::sum);
                    }
                }
            }
        }
        return new ClassifiedCounts(outcomes, rules, warnings);
    }

    public long outcome(String name) {
        return outcomes.getOrDefault(name, 0L);
    }
}
