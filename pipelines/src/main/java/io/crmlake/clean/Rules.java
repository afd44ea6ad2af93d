package io.crmlake.clean;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.translate;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;

/**
 * The cleaning rules of each entity, declared in the order they are checked; a row is
 * quarantined under the first error rule it breaks. Rules see the delivered value of a column as
 * {@code _in.<column>} and its typed value as {@code <column>}.
 *
 * <p>First the record itself: a JSON line that is not an object → {@code malformed_json}; a CSV
 * record the parser could not split into the header's fields → {@code malformed_quotes} when it
 * holds an odd number of quote characters (an unbalanced quote, which makes the parser read on to
 * the end of the file: the raw record holds the swallowed lines), else {@code wrong_field_count}; a value with bytes that are not valid in the export's
 * encoding (decoded as U+FFFD) → {@code invalid_encoding}. Then generic rules, for every column:
 * a required column that is empty → {@code missing_<column>}; a value that cannot be read as the
 * column's type (dates before 1900 included) → {@code invalid_<column>} (an error for required
 * columns, a warning for optional ones, whose value is then set to null); a required date or
 * timestamp later than the day after the batch date → {@code future_<column>}. Entity rules
 * below add the business constraints.
 */
public final class Rules {
    private Rules() {}

    /**
     * The rules of an entity whose columns {@code defaulted} take a default when delivered empty:
     * such a column is never missing, and a row that took its default carries the warning
     * {@code default_<column>}.
     */
    public static List<Rule> forEntity(Entity e, String quote, java.util.Set<String> defaulted) {
        List<Rule> rules = new ArrayList<>();
        Column malformed = col(Lineage.MALFORMED);
        Column quotes = length(malformed).minus(length(translate(malformed, quote, "")));
        rules.add(Rule.error("malformed_json", malformed.isNotNull().and(col(Lineage.SOURCE_FILE).rlike("(?i)\\.jsonl?$"))));
        rules.add(Rule.error("malformed_quotes", malformed.isNotNull().and(pmod(quotes, lit(2)).equalTo(1))));
        rules.add(Rule.error("wrong_field_count", malformed.isNotNull()));
        Column replaced = lit(false);
        for (String name : e.columnNames()) {
            replaced = replaced.or(col("_in." + name).contains(UNDECODABLE));
        }
        rules.add(Rule.error("invalid_encoding", replaced));
        for (Entity.Column c : e.columns()) {
            Column delivered = Normalize.text(col("_in." + c.name())).isNotNull();
            boolean hasDefault = defaulted.contains(c.name());
            // A default that cannot be read as the column's type is unreadable too.
            Column unreadable = (hasDefault ? lit(true) : delivered).and(col(c.name()).isNull());
            if (hasDefault) {
                rules.add(Rule.warn("default_" + c.name(), not(delivered)));
            }
            if (c.required()) {
                if (!hasDefault) {
                    rules.add(Rule.error("missing_" + c.name(), not(delivered)));
                }
                rules.add(Rule.error("invalid_" + c.name(), unreadable));
                if (isDateOrTime(c)) {
                    rules.add(Rule.error("future_" + c.name(), inTheFuture(c)));
                }
            } else if (!c.type().equals(DataTypes.StringType) || isValidatedText(c.name())) {
                rules.add(Rule.warn("invalid_" + c.name(), unreadable));
            }
        }
        rules.addAll(businessRules(e));
        return rules;
    }

    /** What a decoder puts where the bytes are not valid in the file's encoding. */
    private static final String UNDECODABLE = "\uFFFD";

    private static boolean isDateOrTime(Entity.Column c) {
        return c.type().equals(DataTypes.DateType) || c.type().equals(DataTypes.TimestampType);
    }

    /**
     * Later than the end of the day after the batch date: an export cannot hold tomorrow's
     * orders, and a future updated_at would win every later update of its key. The extra day
     * leaves room for exports written in time zones ahead of UTC.
     */
    private static Column inTheFuture(Entity.Column c) {
        Column limit = date_add(col(Lineage.BATCH_DATE), 2);
        return c.type().equals(DataTypes.DateType)
                ? col(c.name()).geq(limit)
                : col(c.name()).geq(limit.cast(DataTypes.TimestampType));
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
                        // A credit note or a return gives money back: negative on those, an error on a sale.
                        Rule.error("negative_amount", col("total_amount").lt(0).and(col("status").equalTo("completed"))));
            case ORDER_ITEMS:
                return List.of(
                        // Likewise the lines of a credit note or return; the order's status is silver's
                        // (EntityCleaner.ORDER_STATUS), a line of an order silver does not hold counts as a sale.
                        Rule.error("negative_quantity", col("quantity").lt(0)
                                .and(not(coalesce(col(EntityCleaner.ORDER_STATUS), lit("completed"))
                                        .isin("cancelled", "returned")))),
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
