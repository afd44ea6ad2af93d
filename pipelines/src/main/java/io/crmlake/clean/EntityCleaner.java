package io.crmlake.clean;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import io.crmlake.config.SourceMapping;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;

/**
 * Bronze rows of one entity and batch → the same rows, typed and classified. Every input row comes
 * out exactly once with an {@code _outcome}: {@code duplicate} (an exact repeat of another row of
 * the batch), {@code quarantine} (broke the error rule named in {@code _rule}), {@code superseded}
 * (a newer version of the same key arrived in the same batch) or {@code valid}. Warnings a valid
 * row carries are listed in {@code _warnings}. A pure transformation: no I/O.
 */
public final class EntityCleaner {
    public static final String OUTCOME = "_outcome";
    public static final String RULE = "_rule";
    public static final String WARNINGS = "_warnings";
    public static final String RAW = "_raw";
    /**
     * JSON with more about a quarantined row's rule, or null: for {@code parent_quarantined} the
     * parent (entity, key, rule) and the root cause (see {@link ReferenceCheck}).
     */
    public static final String DETAILS = "_details";
    /**
     * The status of an order line's order as silver holds it, attached by the caller before
     * classification (null when absent): negative quantities are valid on a cancelled or returned order.
     */
    public static final String ORDER_STATUS = "_order_status";
    /** Version that decides which row of a key wins: updated_at, or the batch date. */
    public static final String VERSION = "_version";

    private final Entity entity;
    private final TypedColumns typed;
    private final List<Rule> rules;

    public EntityCleaner(Entity entity, SourceMapping mapping, String defaultCountry) {
        this.entity = entity;
        this.typed = new TypedColumns(entity, mapping, defaultCountry);
        SourceMapping.EntityMapping em = mapping.entity(entity);
        this.rules = Rules.forEntity(entity, mapping.quote(), entity.columnNames().stream()
                .filter(c -> em.defaultValue(c).isPresent()).collect(java.util.stream.Collectors.toSet()));
    }

    /** Names of the warning rules, in declaration order: what a valid row's _warnings may hold. */
    public List<String> warningNames() {
        return rules.stream().filter(r -> r.severity() == Rule.Severity.WARN).map(Rule::name).toList();
    }

    public Dataset<Row> classify(Dataset<Row> bronze) {
        // Bronze written before crmlake kept malformed records has no such column.
        Dataset<Row> delivered = List.of(bronze.columns()).contains(Lineage.MALFORMED)
                ? bronze
                : bronze.withColumn(Lineage.MALFORMED, lit(null).cast("string"));
        if (!List.of(delivered.columns()).contains(ORDER_STATUS)) {
            delivered = delivered.withColumn(ORDER_STATUS, lit(null).cast("string"));
        }
        Dataset<Row> marked = markExactDuplicates(delivered);
        Dataset<Row> checked = applyRules(parse(marked));
        return markSuperseded(checked);
    }

    /** Typed canonical columns, the delivered ones as {@code _in}, the original row as JSON. */
    private Dataset<Row> parse(Dataset<Row> bronze) {
        List<Column> cols = new ArrayList<>();
        for (Entity.Column c : entity.columns()) {
            cols.add(typed.typed(c).cast(c.type()).as(c.name()));
        }
        List<Column> delivered = new ArrayList<>();
        for (String name : entity.columnNames()) {
            delivered.add(col(name));
        }
        cols.add(struct(delivered.toArray(Column[]::new)).as("_in"));
        List<Column> original = new ArrayList<>(delivered);
        original.add(col(Lineage.RESCUED));
        // Null fields are left out of the JSON: _malformed shows only for a malformed record.
        original.add(col(Lineage.MALFORMED));
        cols.add(to_json(struct(original.toArray(Column[]::new))).as(RAW));
        cols.add(col(Lineage.MALFORMED));
        cols.add(col(Lineage.SOURCE_FILE));
        cols.add(col(Lineage.BATCH_DATE));
        cols.add(col("_duplicate"));
        cols.add(col(ORDER_STATUS));
        return bronze.select(cols.toArray(Column[]::new));
    }

    /**
     * Flags all but one row of each group of identical delivered rows. Which copy survives is
     * decided by source file name, so re-runs keep the same one.
     */
    private Dataset<Row> markExactDuplicates(Dataset<Row> bronze) {
        List<Column> all = new ArrayList<>();
        for (String name : entity.columnNames()) {
            all.add(col(name));
        }
        all.add(col(Lineage.RESCUED));
        all.add(col(Lineage.MALFORMED));
        WindowSpec sameRow = Window.partitionBy(all.toArray(Column[]::new)).orderBy(col(Lineage.SOURCE_FILE));
        return bronze.withColumn("_duplicate", row_number().over(sameRow).gt(1));
    }

    private Dataset<Row> applyRules(Dataset<Row> parsed) {
        Column firstError = lit(null).cast("string");
        List<Column> warnings = new ArrayList<>();
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule r = rules.get(i);
            Column broken = coalesce(r.violated(), lit(false));
            if (r.severity() == Rule.Severity.ERROR) {
                firstError = when(broken, lit(r.name())).otherwise(firstError);
            }
        }
        for (Rule r : rules) {
            if (r.severity() == Rule.Severity.WARN) {
                warnings.add(when(coalesce(r.violated(), lit(false)), lit(r.name())));
            }
        }
        Column warningList = warnings.isEmpty()
                ? array().cast("array<string>")
                : array_compact(array(warnings.toArray(Column[]::new)));
        return parsed
                .withColumn(RULE, when(col("_duplicate"), lit(null).cast("string")).otherwise(firstError))
                .withColumn(WARNINGS, warningList)
                .withColumn(DETAILS, lit(null).cast("string"))
                .withColumn(VERSION, versionColumn())
                .withColumn(Lineage.ROW_HASH, rowHash());
    }

    /** Among the rule-abiding rows of a key, the latest version wins; ties go to the larger hash. */
    private Dataset<Row> markSuperseded(Dataset<Row> checked) {
        Column candidate = not(col("_duplicate")).and(col(RULE).isNull());
        List<Column> keys = new ArrayList<>();
        keys.add(candidate);
        entity.keys().forEach(k -> keys.add(col(k)));
        WindowSpec byKey = Window.partitionBy(keys.toArray(Column[]::new))
                .orderBy(col(VERSION).desc_nulls_last(), col(Lineage.ROW_HASH).desc());
        return checked
                .withColumn("_rank", row_number().over(byKey))
                .withColumn(OUTCOME,
                        when(col("_duplicate"), lit("duplicate"))
                                .when(col(RULE).isNotNull(), lit("quarantine"))
                                .when(col("_rank").gt(1), lit("superseded"))
                                .otherwise(lit("valid")))
                .drop("_rank", "_duplicate", "_in", Lineage.MALFORMED, ORDER_STATUS);
    }

    private Column versionColumn() {
        return entity.updatedAtColumn()
                .map(c -> col(c))
                .orElse(col(Lineage.BATCH_DATE).cast("timestamp"));
    }

    /** Hash of the typed canonical columns: equal hashes mean the same content. */
    private Column rowHash() {
        List<Column> cols = new ArrayList<>();
        for (String name : entity.columnNames()) {
            cols.add(col(name));
        }
        return xxhash64(cols.toArray(Column[]::new));
    }
}
