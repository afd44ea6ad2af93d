package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.config.SourceMapping;
import io.crmlake.ingest.IngestError;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.ops.OpsTables;
import io.crmlake.ops.OpsTables.DqRow;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;

/**
 * Bronze → silver for one batch date, entity by entity in dependency order (customers before the
 * orders that point at them). For each entity: classify the day's bronze rows, check references
 * against silver, write rejected rows to silver.quarantine, apply the quality gate, MERGE the
 * valid rows into silver, record ops.dq_results and check the reconciliation invariant.
 */
public final class CleanBatch {
    public static final StructType QUARANTINE_SCHEMA = new StructType()
            .add("entity", DataTypes.StringType)
            .add("batch_date", DataTypes.DateType)
            .add("rule", DataTypes.StringType)
            .add("raw", DataTypes.StringType)
            .add(Lineage.SOURCE_FILE, DataTypes.StringType)
            .add(Lineage.RUN_ID, DataTypes.StringType);

    /** Settings of the clean stage. */
    public record Params(String defaultCountry, Map<Entity, Double> maxQuarantineShare) {}

    private final Lakehouse lakehouse;
    private final SourceMapping mapping;
    private final Params params;
    private final OpsTables ops;

    public CleanBatch(Lakehouse lakehouse, SourceMapping mapping, Params params) {
        this.lakehouse = lakehouse;
        this.mapping = mapping;
        this.params = params;
        this.ops = new OpsTables(lakehouse);
    }

    public List<Reconciliation> run(LocalDate batchDate, String runId, Consumer<String> progress) {
        for (Entity e : Entity.inDependencyOrder()) {
            if (!lakehouse.exists(Table.bronze(e))) {
                throw new IngestError("bronze." + e.tableName() + " does not exist in " + lakehouse.root()
                        + ": run `crmlake ingest --date " + batchDate + "` first");
            }
        }
        List<Reconciliation> results = new ArrayList<>();
        for (Entity e : Entity.inDependencyOrder()) {
            Reconciliation r = cleanEntity(e, batchDate, runId);
            results.add(r);
            progress.accept(String.format("%-13s %,9d landed: %,d inserted, %,d updated, %,d quarantined, %,d duplicates, %,d superseded, %,d not newer%s",
                    e.tableName(), r.landed(), r.inserted(), r.updated(), r.quarantined(), r.duplicates(),
                    r.superseded(), r.notNewer(), r.quarantineRules().isEmpty() ? "" : "  " + r.quarantineRules()));
        }
        return results;
    }

    private Reconciliation cleanEntity(Entity entity, LocalDate batchDate, String runId) {
        Dataset<Row> bronze = lakehouse.read(Table.bronze(entity))
                .where(col(Lineage.BATCH_DATE).equalTo(lit(Date.valueOf(batchDate))));
        long landed = bronze.count();
        Dataset<Row> classified = ReferenceCheck.apply(
                new EntityCleaner(entity, mapping, params.defaultCountry()).classify(bronze),
                references(entity));
        classified = classified.withColumn(Lineage.RUN_ID, lit(runId)).persist();
        try {
            Map<String, Long> outcomes = countBy(classified, EntityCleaner.OUTCOME);
            Map<String, Long> rules = countBy(classified.where(col(EntityCleaner.OUTCOME).equalTo("quarantine")), EntityCleaner.RULE);
            Map<String, Long> warnings = countBy(classified.where(col(EntityCleaner.OUTCOME).equalTo("valid"))
                    .select(explode(col(EntityCleaner.WARNINGS)).as("w")), "w");

            long quarantined = writeQuarantine(entity, batchDate, classified);
            double share = landed == 0 ? 0 : (double) quarantined / landed;
            double max = params.maxQuarantineShare().getOrDefault(entity, 1.0);
            if (share > max) {
                Reconciliation partial = new Reconciliation(entity, landed, 0, 0, outcomes.getOrDefault("superseded", 0L),
                        0, quarantined, outcomes.getOrDefault("duplicate", 0L), rules, warnings);
                writeDq(batchDate, entity, partial, runId, "quality_gate", 1);
                throw new QualityGateError(String.format(
                        "quality gate failed for %s on %s: %.1f%% of %d rows quarantined (max %.1f%%; rules %s); "
                                + "silver.%s was not changed, see silver.quarantine",
                        entity.tableName(), batchDate, 100 * share, landed, 100 * max, rules, entity.tableName()));
            }
            SilverMerge.Outcome merged = new SilverMerge(lakehouse, entity)
                    .merge(classified.where(col(EntityCleaner.OUTCOME).equalTo("valid")));
            lakehouse.register(Table.silver(entity));
            Reconciliation r = new Reconciliation(entity, landed, merged.inserted(), merged.updated(),
                    outcomes.getOrDefault("superseded", 0L), merged.notNewer(), quarantined,
                    outcomes.getOrDefault("duplicate", 0L), rules, warnings);
            writeDq(batchDate, entity, r, runId, "quality_gate", 0);
            if (!r.holds()) {
                throw new ReconciliationError("reconciliation failed for " + entity.tableName() + " on " + batchDate
                        + ": " + r.describe() + " (accounted for " + r.accountedFor() + ")");
            }
            return r;
        } finally {
            classified.unpersist();
        }
    }

    /** Foreign keys of an entity, checked against what silver holds after today's dimensions. */
    private List<Reference> references(Entity entity) {
        switch (entity) {
            case ORDERS:
                return List.of(new Reference("customer_id", keys(Entity.CUSTOMERS, "customer_id"), "orphan_customer"));
            case ORDER_ITEMS:
                return List.of(
                        new Reference("order_id", keys(Entity.ORDERS, "order_id"), "orphan_order"),
                        new Reference("product_id", keys(Entity.PRODUCTS, "product_id"), "unknown_product"));
            case INTERACTIONS:
                return List.of(
                        new Reference("customer_id", keys(Entity.CUSTOMERS, "customer_id"), "orphan_customer"),
                        new Reference("campaign_id", keys(Entity.CAMPAIGNS, "campaign_id"), "unknown_campaign"));
            case TICKETS:
                return List.of(new Reference("customer_id", keys(Entity.CUSTOMERS, "customer_id"), "orphan_customer"));
            default:
                return List.of();
        }
    }

    private Dataset<Row> keys(Entity entity, String column) {
        Table t = Table.silver(entity);
        if (!lakehouse.exists(t)) {
            return lakehouse.spark().createDataFrame(List.of(), new StructType().add(column, DataTypes.StringType));
        }
        return lakehouse.read(t).select(column);
    }

    /** Replaces this entity's quarantine rows of the day in one commit; returns how many it wrote. */
    private long writeQuarantine(Entity entity, LocalDate batchDate, Dataset<Row> classified) {
        Dataset<Row> rejected = classified.where(col(EntityCleaner.OUTCOME).equalTo("quarantine"))
                .select(lit(entity.tableName()).as("entity"), col(Lineage.BATCH_DATE).as("batch_date"),
                        col(EntityCleaner.RULE).as("rule"), col(EntityCleaner.RAW).as("raw"),
                        col(Lineage.SOURCE_FILE), col(Lineage.RUN_ID));
        lakehouse.createIfMissing(Table.QUARANTINE, QUARANTINE_SCHEMA);
        rejected.write().format("delta").mode("overwrite")
                .option("replaceWhere", "batch_date = DATE'" + batchDate + "' AND entity = '" + entity.tableName() + "'")
                .save(lakehouse.path(Table.QUARANTINE));
        // Read back rather than trust the commit metrics: a replaceWhere on data columns also
        // counts the other entities' rows it copied while rewriting a file.
        return lakehouse.read(Table.QUARANTINE)
                .where(col("batch_date").equalTo(lit(Date.valueOf(batchDate))).and(col("entity").equalTo(entity.tableName())))
                .count();
    }

    private void writeDq(LocalDate batchDate, Entity entity, Reconciliation r, String runId, String gateRule, long gateFailed) {
        List<DqRow> rows = new ArrayList<>();
        r.quarantineRules().forEach((rule, n) -> rows.add(new DqRow(rule, "error", n)));
        r.warnings().forEach((rule, n) -> rows.add(new DqRow(rule, "warn", n)));
        rows.add(new DqRow("exact_duplicate", "info", r.duplicates()));
        rows.add(new DqRow("superseded_in_batch", "info", r.superseded()));
        rows.add(new DqRow("not_newer_than_silver", "info", r.notNewer()));
        rows.add(new DqRow("inserted", "info", r.inserted()));
        rows.add(new DqRow("updated", "info", r.updated()));
        rows.add(new DqRow(gateRule, "error", gateFailed));
        if (gateFailed == 0) {
            rows.add(new DqRow("reconciliation", "error", Math.abs(r.landed() - r.accountedFor())));
        }
        ops.writeDqResults(batchDate, entity.tableName(), r.landed(), rows, runId);
        lakehouse.register(Table.DQ_RESULTS);
    }

    private static Map<String, Long> countBy(Dataset<Row> df, String column) {
        Map<String, Long> counts = new TreeMap<>();
        for (Row row : df.groupBy(col(column)).count().collectAsList()) {
            counts.put(row.isNullAt(0) ? "null" : row.getString(0), row.getLong(1));
        }
        return counts;
    }
}
