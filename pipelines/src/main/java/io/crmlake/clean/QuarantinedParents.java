package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The keys of one entity's quarantined rows, so that a child row pointing at one of them is known
 * to be quarantined because of its parent, not for a fault of its own. One row per key: the key,
 * the parent's rule and the root cause (the entity and rule at the top of the chain: an order line
 * whose order was quarantined because its customer was names the customer's rule). Keys come from
 * today's classified rows of the parent entity and from silver.quarantine of earlier days (a line
 * may arrive the day after its order was refused); the latest day's reason wins.
 */
public final class QuarantinedParents {
    public static final String KEY = "_qp_key";
    public static final String PARENT_RULE = "_qp_parent_rule";
    public static final String ROOT_ENTITY = "_qp_root_entity";
    public static final String ROOT_RULE = "_qp_root_rule";

    private QuarantinedParents() {}

    /**
     * @param entity     the parent entity's table name
     * @param keyColumn  its key column (the name the children's foreign key has too)
     * @param today      its classified rows of the batch (typed key, {@code _outcome}, {@code _rule}, {@code _details})
     * @param earlier    silver.quarantine rows of the entity from days before the batch, if the table exists
     */
    public static Dataset<Row> of(String entity, String keyColumn, LocalDate batchDate, Dataset<Row> today,
            Optional<Dataset<Row>> earlier) {
        Dataset<Row> keys = describe(entity, today.where(col(EntityCleaner.OUTCOME).equalTo("quarantine")),
                col(keyColumn), lit(Date.valueOf(batchDate)), col(EntityCleaner.RULE), col(EntityCleaner.DETAILS));
        if (earlier.isPresent()) {
            Dataset<Row> q = earlier.get();
            Column details = List.of(q.columns()).contains("details") ? col("details") : lit(null).cast("string");
            keys = keys.unionByName(describe(entity, q, trim(get_json_object(col("raw"), "$." + keyColumn)),
                    col("batch_date"), col("rule"), details));
        }
        Column latest = struct(col("_qp_day"), col(PARENT_RULE), col(ROOT_ENTITY), col(ROOT_RULE));
        return keys.where(col(KEY).isNotNull())
                .groupBy(KEY).agg(max_by(latest, col("_qp_day")).as("_qp"))
                .select(col(KEY), col("_qp." + PARENT_RULE).as(PARENT_RULE), col("_qp." + ROOT_ENTITY).as(ROOT_ENTITY),
                        col("_qp." + ROOT_RULE).as(ROOT_RULE));
    }

    /** Key, day, rule, and the root: the row's own entity and rule, or its details' root when it is a cascade itself. */
    private static Dataset<Row> describe(String entity, Dataset<Row> rows, Column key, Column day, Column rule,
            Column details) {
        Column cascade = rule.equalTo(Reference.PARENT_QUARANTINED);
        return rows.select(key.as(KEY), day.as("_qp_day"), rule.as(PARENT_RULE),
                when(cascade, get_json_object(details, "$.root")).otherwise(lit(entity)).as(ROOT_ENTITY),
                when(cascade, get_json_object(details, "$.root_rule")).otherwise(rule).as(ROOT_RULE));
    }
}
