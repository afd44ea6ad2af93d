package io.crmlake.clean;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the classification of one entity's batch found, counted in one aggregation: rows per
 * outcome (duplicate, quarantine, superseded, valid), quarantined rows per rule, the cascades
 * among them by parent entity and root cause ({@code "orders: customers.invalid_updated_at"}: the
 * order was quarantined because its customer was, for that rule), valid rows per
 * warning, and valid rows without a customer (guest orders). One query instead of one per count
 * matters on small daily batches, where each Spark query costs more than the data it reads.
 */
public record ClassifiedCounts(Map<String, Long> outcomes, Map<String, Long> rules, Map<String, Long> cascades,
                               Map<String, Long> warnings, long guests) {

    /** {@code guestColumn}: the optional customer column whose emptiness makes a valid row a guest's; null for none. */
    public static ClassifiedCounts of(Dataset<Row> classified, List<String> warningNames, String guestColumn) {
        List<Column> aggs = new ArrayList<>();
        aggs.add(guestColumn == null ? lit(0L).as("guests")
                : count_if(col(EntityCleaner.OUTCOME).equalTo("valid").and(col(guestColumn).isNull())).as("guests"));
        for (String w : warningNames) {
            aggs.add(count_if(array_contains(col(EntityCleaner.WARNINGS), w)).as("w_" + w));
        }
        Column cascade = when(col(EntityCleaner.RULE).equalTo(Reference.PARENT_QUARANTINED),
                concat_ws(": ", get_json_object(col(EntityCleaner.DETAILS), "$.parent"),
                        concat_ws(".", get_json_object(col(EntityCleaner.DETAILS), "$.root"),
                                get_json_object(col(EntityCleaner.DETAILS), "$.root_rule"))));
        List<Row> groups = classified.groupBy(col(EntityCleaner.OUTCOME), col(EntityCleaner.RULE), cascade.as("cascade"))
                .agg(count(lit(1)).as("rows"), aggs.toArray(Column[]::new))
                .collectAsList();
        Map<String, Long> outcomes = new TreeMap<>();
        Map<String, Long> rules = new TreeMap<>();
        Map<String, Long> cascades = new TreeMap<>();
        Map<String, Long> warnings = new TreeMap<>();
        long guests = 0;
        for (Row g : groups) {
            String outcome = g.getString(0);
            long rows = g.getLong(3);
            outcomes.merge(outcome, rows, Long::sum);
            if ("quarantine".equals(outcome)) {
                rules.merge(g.isNullAt(1) ? "null" : g.getString(1), rows, Long::sum);
                if (!g.isNullAt(2)) {
                    cascades.merge(g.getString(2), rows, Long::sum);
                }
            }
            guests += g.getLong(4);
            if ("valid".equals(outcome)) {
                for (int i = 0; i < warningNames.size(); i++) {
                    long n = g.getLong(5 + i);
                    if (n > 0) {
                        warnings.merge(warningNames.get(i), n, Long::sum);
                    }
                }
            }
        }
        return new ClassifiedCounts(outcomes, rules, cascades, warnings, guests);
    }

    public long outcome(String name) {
        return outcomes.getOrDefault(name, 0L);
    }
}
