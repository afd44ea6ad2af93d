package io.crmlake.models.basket;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.struct;

import java.time.LocalDate;
import java.util.List;

import org.apache.spark.ml.fpm.FPGrowth;
import org.apache.spark.ml.fpm.FPGrowthModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import io.crmlake.models.AsOf;

/**
 * gold.association_rules as of a date: "customers who buy the antecedent also buy the consequent",
 * mined with MLlib's FP-growth from the baskets of the look-back window (see {@link Baskets}).
 *
 * <ul>
 * <li>support: the share of baskets holding antecedent ∪ consequent. This is MLlib's rule
 *     {@code support} column, which Spark 4 computes as the union's frequency divided by the
 *     number of baskets it was fitted on (all of them, single-product baskets included).</li>
 * <li>confidence: support(antecedent ∪ consequent) / support(antecedent).</li>
 * <li>lift: confidence / support(consequent); rules below {@code minLift} are dropped, since a
 *     lift near 1 only says that both products are popular.</li>
 * <li>antecedent is sorted by product_id; FP-growth rules have a single-product consequent.</li>
 * <li>antecedent_names / consequent_names: the product names in the same order, for analysts;
 *     a product missing from the products table shows its id.</li>
 * </ul>
 */
public final class AssociationRules {
    /** Output columns in order: the gold.association_rules contract, then the readable names. */
    public static final List<String> COLUMNS = List.of(
            "as_of_date", "antecedent", "consequent", "support", "confidence", "lift", "model_version",
            "antecedent_names", "consequent_names");

    private AssociationRules() {}

    public static Dataset<Row> mine(BasketInputs in, LocalDate asOf, BasketParams params, String modelVersion) {
        AsOf t = AsOf.of(asOf);
        Dataset<Row> baskets = Baskets.build(in.orders(), in.orderItems(), t, params.lookbackDays());
        FPGrowthModel model = new FPGrowth()
                .setItemsCol("items")
                .setMinSupport(params.minSupport())
                .setMinConfidence(params.minConfidence())
                .fit(baskets);
        Dataset<Row> rules = model.associationRules()
                .where(col("lift").geq(params.minLift()))
                .select(array_sort(col("antecedent")).as("antecedent"), col("consequent"),
                        col("support"), col("confidence"), col("lift"));
        if (params.maxRules().isPresent()) {
            rules = sortedByLift(rules).limit(params.maxRules().getAsInt());
        }
        Dataset<Row> names = in.products().groupBy("product_id").agg(max("name").as("name"));
        return withNames(withNames(rules, names, "antecedent"), names, "consequent").select(
                t.dateLiteral().as("as_of_date"),
                col("antecedent"),
                col("consequent"),
                col("support"),
                col("confidence"),
                col("lift"),
                lit(modelVersion).as("model_version"),
                col("antecedent_names"),
                col("consequent_names"));
    }

    /**
     * The rules strongest first: lift, then confidence and support descending; ties broken by the
     * product ids so the order is the same on every run.
     */
    public static Dataset<Row> sortedByLift(Dataset<Row> rules) {
        return rules.orderBy(col("lift").desc(), col("confidence").desc(), col("support").desc(),
                col("antecedent"), col("consequent"));
    }

    /** Adds {@code <itemsColumn>_names}: the name of each product id of the array, in its order. */
    private static Dataset<Row> withNames(Dataset<Row> rules, Dataset<Row> names, String itemsColumn) {
        Dataset<Row> lookup = rules.select(col(itemsColumn)).distinct()
                .select(col(itemsColumn), posexplode(col(itemsColumn)).as(new String[]{"pos", "product_id"}))
                .join(names, "product_id", "left")
                .groupBy(itemsColumn)
                .agg(array_sort(collect_list(struct(col("pos"),
                        coalesce(col("name"), col("product_id")).as("name")))).as("named"))
                .select(col(itemsColumn), functions.transform(col("named"), (Column n) -> n.getField("name"))
                        .as(itemsColumn + "_names"));
        return rules.join(lookup, itemsColumn, "left");
    }
}
