package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

import io.crmlake.schema.Entity;

/**
 * The cleaning rules of each entity, declared in the order they are checked; a row is
 * quarantined under the first error rule it breaks. Rules see the delivered value of a column as
 * {@code _in.<column>} and its typed value as {@code <column>}.
 *
 * <p>Generic rules, for every column: a required column that is empty → {@code missing_<column>};
 * a value that cannot be read as the column's type → {@code invalid_<column>} (an error for
 * required columns, a warning for optional ones, whose value is then set to null). Entity rules
 * below add the business constraints.
 */
public final class Rules {
    private Rules() {}

    public static List<Rule> forEntity(Entity e) {
        List<Rule> rules = new ArrayList<>();
        for (Entity.Column c : e.columns()) {
            Column delivered = Normalize.text(col("_in." + c.name())).isNotNull();
            Column unreadable = delivered.and(col(c.name()).isNull());
            if (c.required()) {
                rules.add(Rule.error("missing_" + c.name(), not(delivered)));
                rules.add(Rule.error("invalid_" + c.name(), unreadable));
            } else if (!c.type().equals(DataTypes.StringType) || isValidatedText(c.name())) {
                rules.add(Rule.warn("invalid_" + c.name(), unreadable));
            }
        }
        rules.addAll(businessRules(e));
        return rules;
    }

    private static boolean isValidatedText(String column) {
        return List.of("email", "phone", "country", "gender").contains(column);
    }

    private static List<Rule> businessRules(Entity e) {
        switch (e) {
            case PRODUCTS:
                // A price below zero is an export error, not a promotion.
                return List.of(Rule.error("negative_price", col("unit_price").lt(0)));
            case ORDERS:
                return List.of(
                        // Only the three lifecycle states of DESIGN.md are meaningful downstream.
                        Rule.error("invalid_status", not(col("status").isin("completed", "cancelled", "returned"))),
                        Rule.error("negative_amount", col("total_amount").lt(0)));
            case ORDER_ITEMS:
                return List.of(
                        Rule.error("negative_quantity", col("quantity").lt(0)),
                        Rule.error("zero_quantity", col("quantity").equalTo(0)),
                        Rule.error("negative_price", col("unit_price").lt(0)),
                        // A discount is a fraction of the line price.
                        Rule.error("invalid_discount", col("discount").lt(0).or(col("discount").gt(1))));
            case INTERACTIONS:
                return List.of(Rule.error("invalid_event_type",
                        not(col("event_type").isin("sent", "open", "click", "unsubscribe", "convert"))));
            case CAMPAIGNS:
                return List.of(Rule.warn("end_before_start", col("end_date").lt(col("start_date"))));
            default:
                return List.of();
        }
    }
}
