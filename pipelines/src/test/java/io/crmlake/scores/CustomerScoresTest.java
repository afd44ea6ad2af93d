package io.crmlake.scores;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.crmlake.config.SecretSource;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.privacy.MatchKey;
import io.crmlake.schema.Entity;
import io.crmlake.testing.SharedSpark;

/** The join behind gold.customer_scores, and the MERGE that rewrites only rows that changed. */
class CustomerScoresTest {
    private static final LocalDate D1 = LocalDate.parse("2026-11-01");
    private static final LocalDate D2 = LocalDate.parse("2026-11-02");
    private final SparkSession spark = SharedSpark.get();

    private Dataset<Row> features(LocalDate d, int recencyOfB) {
        StructType s = new StructType().add("customer_id", "string").add("as_of_date", "date")
                .add("recency_days", "int").add("frequency", "long").add("monetary", DataTypes.createDecimalType(14, 2));
        return spark.createDataFrame(List.of(
                RowFactory.create("A", Date.valueOf(d), 3, 10L, new BigDecimal("500.00")),
                RowFactory.create("B", Date.valueOf(d), recencyOfB, 1L, new BigDecimal("20.00")),
                RowFactory.create("C", Date.valueOf(d), null, 0L, new BigDecimal("0.00"))), s);
    }

    private Dataset<Row> segments(LocalDate d) {
        StructType s = new StructType().add("customer_id", "string").add("as_of_date", "date")
                .add("segment_id", "int").add("segment_name", "string").add("distance", "double").add("model_version", "string");
        return spark.createDataFrame(List.of(
                RowFactory.create("A", Date.valueOf(d), 0, "Champions", 0.1, "s1"),
                RowFactory.create("B", Date.valueOf(d), 1, "Hibernating", 0.2, "s1")), s);
    }

    private Dataset<Row> propensity(LocalDate d) {
        StructType s = new StructType().add("customer_id", "string").add("as_of_date", "date").add("horizon_days", "int")
                .add("probability", "double").add("decile", "int").add("model_version", "string");
        return spark.createDataFrame(List.of(
                RowFactory.create("A", Date.valueOf(d), 30, 0.9, 1, "p1"),
                RowFactory.create("B", Date.valueOf(d), 30, 0.1, 10, "p1"),
                RowFactory.create("C", Date.valueOf(d), 30, 0.2, 9, "p1")), s);
    }

    private Dataset<Row> recommendations(LocalDate d) {
        StructType s = new StructType().add("customer_id", "string").add("as_of_date", "date").add("rank", "int")
                .add("product_id", "string").add("score", "double").add("source", "string").add("model_version", "string");
        return spark.createDataFrame(List.of(
                RowFactory.create("A", Date.valueOf(d), 2, "P2", 0.5, "als", "r1"),
                RowFactory.create("A", Date.valueOf(d), 1, "P7", 0.9, "als", "r1"),
                RowFactory.create("A", Date.valueOf(d), 3, "P1", 0.1, "als", "r1"),
                RowFactory.create("C", Date.valueOf(d), 1, "P5", 0.3, "popular", "r1")), s);
    }

    @Test
    void joinsEveryModelPerCustomerWithProductsInRankOrder() {
        List<Row> rows = CustomerScores.compute(features(D1, 40), segments(D1), propensity(D1), recommendations(D1),
                        matchKeys(), D1)
                .orderBy("customer_id").collectAsList();
        assertThat(rows).hasSize(3);
        Row a = rows.get(0);
        assertThat(a.<String>getAs("segment_name")).isEqualTo("Champions");
        assertThat(a.<Double>getAs("purchase_probability")).isEqualTo(0.9);
        assertThat(a.<Integer>getAs("propensity_decile")).isEqualTo(1);
        assertThat(a.getList(a.fieldIndex("recommended_products"))).containsExactly("P7", "P2", "P1");
        Row c = rows.get(2);
        assertThat(c.isNullAt(c.fieldIndex("segment_name"))).isTrue(); // not segmented: null, not dropped
        assertThat(c.getList(c.fieldIndex("recommended_products"))).containsExactly("P5");
        assertThat(rows.get(1).isNullAt(rows.get(1).fieldIndex("recommended_products"))).isTrue();
        assertThat(a.<String>getAs(MatchKey.COLUMN)).isEqualTo("key-A");
        assertThat(c.isNullAt(c.fieldIndex(MatchKey.COLUMN))).isTrue(); // no key known: null, not dropped
    }

    private Dataset<Row> matchKeys() {
        StructType s = new StructType().add("customer_id", "string").add(MatchKey.COLUMN, "string");
        return spark.createDataFrame(List.of(RowFactory.create("A", "key-A"), RowFactory.create("B", "key-B")), s);
    }

    /**
     * With a salt, each row carries the salted hash of the customer's email as silver holds it,
     * and no gold.customer_scores column holds an email or a phone; a new email changes the row.
     */
    @Test
    void theEmailTravelsOnlyAsItsSaltedHash() {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("scores-pii").toString());
        SecretSource salt = () -> "pepper";
        StructType customers = new StructType().add("customer_id", "string").add("email", "string").add("phone", "string");
        lh.spark().createDataFrame(List.of(RowFactory.create("A", "ann.lee@example.com", "15551234567"),
                        RowFactory.create("B", "bob@ray.org", "442079460958"), RowFactory.create("C", null, null)), customers)
                .write().format("delta").save(lh.path(Table.silver(Entity.CUSTOMERS)));
        night(lh, D1, 40);
        new CustomerScoresBatch(lh, Optional.of(salt)).run(D1);

        Dataset<Row> scores = lh.read(Table.CUSTOMER_SCORES);
        Row a = scores.where(col("customer_id").equalTo("A")).first();
        // sha256("pepper" + "ann.lee@example.com"), as Python's hashlib computes it.
        assertThat(a.<String>getAs(MatchKey.COLUMN))
                .isEqualTo("a7467495fca1794caf6e0ee6b6ad66a1073a8403ab7ed5594b473b5bec1a1625");
        assertThat(scores.where(col("customer_id").equalTo("C")).first().<String>getAs(MatchKey.COLUMN)).isNull();
        for (String column : scores.columns()) {
            assertThat(scores.where(col(column).cast("string").rlike("@|15551234567|442079460958")).count())
                    .as(column).isZero();
        }
        assertThat(scores.queryExecution().toString()).doesNotContain("pepper");

        lh.delta(Table.silver(Entity.CUSTOMERS)).update(col("customer_id").equalTo("A"),
                java.util.Map.of("email", org.apache.spark.sql.functions.lit("ann@lee.name")));
        assertThat(new CustomerScoresBatch(lh, Optional.of(salt)).run(D1))
                .as("A's new email is a new key: A's row changes").isEqualTo(new CustomerScoresBatch.Outcome(3, 0, 1));
    }

    @Test
    void mergeRewritesOnlyCustomersWhoseScoresChanged() {
        Lakehouse lh = new Lakehouse(spark, SharedSpark.tempDir("scores").toString());
        night(lh, D1, 40);
        CustomerScoresBatch.Outcome first = new CustomerScoresBatch(lh, Optional.empty()).run(D1);
        assertThat(first).isEqualTo(new CustomerScoresBatch.Outcome(3, 3, 0));
        assertThat(new CustomerScoresBatch(lh, Optional.empty()).run(D1)).isEqualTo(new CustomerScoresBatch.Outcome(3, 0, 0));

        night(lh, D2, 41); // only B's recency moved
        assertThat(new CustomerScoresBatch(lh, Optional.empty()).run(D2)).isEqualTo(new CustomerScoresBatch.Outcome(3, 0, 1));
        List<Row> changes = spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", 2)
                .load(lh.path(Table.CUSTOMER_SCORES)).where(col("_change_type").equalTo("update_postimage"))
                .collectAsList();
        assertThat(changes).extracting(r -> r.<String>getAs("customer_id")).containsExactly("B");
        Row a = lh.read(Table.CUSTOMER_SCORES).where(col("customer_id").equalTo("A")).first();
        assertThat(a.getDate(a.fieldIndex("as_of_date")).toLocalDate()).isEqualTo(D1); // unchanged row untouched
    }

    private void night(Lakehouse lh, LocalDate d, int recencyOfB) {
        append(lh, Table.CUSTOMER_FEATURES, features(d, recencyOfB));
        append(lh, Table.CUSTOMER_SEGMENTS, segments(d));
        append(lh, Table.PURCHASE_PROPENSITY, propensity(d));
        append(lh, Table.RECOMMENDATIONS, recommendations(d));
    }

    private static void append(Lakehouse lh, Table t, Dataset<Row> rows) {
        rows.write().format("delta").mode("append").save(lh.path(t));
    }
}
