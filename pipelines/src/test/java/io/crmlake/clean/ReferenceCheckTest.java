package io.crmlake.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.crmlake.testing.SharedSpark;

/**
 * Orphans against silver's keys, on both paths: a small day cuts silver's keys down with a
 * broadcast of the day's values first, a large day joins them whole. Same rows either way.
 */
class ReferenceCheckTest {
    private static final StructType ROWS = new StructType()
            .add("order_id", DataTypes.StringType)
            .add("customer_id", DataTypes.StringType)
            .add("product_id", DataTypes.StringType)
            .add(EntityCleaner.OUTCOME, DataTypes.StringType)
            .add(EntityCleaner.RULE, DataTypes.StringType);
    private final SparkSession spark = SharedSpark.get();

    @Test
    void smallAndLargeDaysQuarantineTheSameOrphans() {
        Dataset<Row> day = spark.createDataFrame(List.of(
                RowFactory.create("O1", "C1", "P1", "valid", null),          // both known
                RowFactory.create("O2", "C9", "P1", "valid", null),          // unknown customer
                RowFactory.create("O3", "C9", "P9", "valid", null),          // both unknown: the first reference wins
                RowFactory.create("O4", "C1", "P9", "valid", null),          // unknown product
                RowFactory.create("O5", null, "P1", "valid", null),          // no customer: not an orphan
                RowFactory.create("O6", "C9", "P9", "quarantine", "bad_date"), // already quarantined: keeps its rule
                RowFactory.create("O7", "C2", "P2", "duplicate", null),      // known, not valid: untouched
                RowFactory.create("O8", "C2", "P1", "valid", null)), ROWS);
        // Silver's keys, with a duplicate and keys nobody points at.
        Dataset<Row> customers = keys("customer_id", "C1", "C2", "C2", "C3", "C4");
        Dataset<Row> products = keys("product_id", "P1", "P2", "P3");
        List<Reference> refs = List.of(new Reference("customer_id", customers, "orphan_customer"),
                new Reference("product_id", products, "unknown_product"));

        List<String> small = outcomes(ReferenceCheck.apply(day, refs, true));
        List<String> large = outcomes(ReferenceCheck.apply(day, refs, false));

        assertThat(small).containsExactly(
                "O1 valid null", "O2 quarantine orphan_customer", "O3 quarantine orphan_customer",
                "O4 quarantine unknown_product", "O5 valid null", "O6 quarantine bad_date", "O7 duplicate null",
                "O8 valid null");
        assertThat(large).containsExactlyElementsOf(small);
    }

    private Dataset<Row> keys(String column, String... values) {
        return spark.createDataFrame(java.util.Arrays.stream(values).map(v -> RowFactory.create(v)).toList(),
                new StructType().add(column, DataTypes.StringType));
    }

    private static List<String> outcomes(Dataset<Row> checked) {
        return checked.orderBy("order_id").collectAsList().stream()
                .map(r -> r.getAs("order_id") + " " + r.getAs(EntityCleaner.OUTCOME) + " " + r.getAs(EntityCleaner.RULE))
                .toList();
    }
}
