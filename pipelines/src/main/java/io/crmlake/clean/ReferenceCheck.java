package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Referential checks on classified rows: a valid row that points at a customer, order, product
 * or campaign that silver does not hold goes to quarantine under the reference's rule (the first
 * broken reference wins). Orphans are kept, not dropped, so they can be re-delivered or explained.
 */
public final class ReferenceCheck {
    private ReferenceCheck() {}

    public static Dataset<Row> apply(Dataset<Row> classified, List<Reference> references) {
        Dataset<Row> out = classified;
        for (int i = 0; i < references.size(); i++) {
            Reference ref = references.get(i);
            String found = "_found_" + i;
            Dataset<Row> keys = ref.keys().select(ref.keys().col(ref.keys().columns()[0]).as("_ref_key"))
                    .distinct().withColumn(found, lit(true));
            out = out.join(keys, out.col(ref.column()).equalTo(keys.col("_ref_key")), "left").drop("_ref_key");
            Column orphan = col(EntityCleaner.OUTCOME).equalTo("valid")
                    .and(col(ref.column()).isNotNull())
                    .and(col(found).isNull());
            out = out
                    .withColumn(EntityCleaner.RULE, when(orphan, lit(ref.rule())).otherwise(col(EntityCleaner.RULE)))
                    .withColumn(EntityCleaner.OUTCOME, when(orphan, lit("quarantine")).otherwise(col(EntityCleaner.OUTCOME)))
                    .drop(found);
        }
        return out;
    }
}
