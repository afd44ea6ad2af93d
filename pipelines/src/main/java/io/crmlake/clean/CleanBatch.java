package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.config.SourceMapping;
import io.crmlake.ingest.IngestError;
import io.crmlake.lakehouse.Concurrently;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.ops.OpsTables;
import io.crmlake.ops.OpsTables.DqRow;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;

/**
 * Bronze → silver for one batch date, in waves of entities: an entity is cleaned after the
 * entities it points at (customers before the orders that point at them), the entities of one
 * wave side by side. For each entity: classify the day's bronze rows, check references against
 * silver, apply the quality gate, MERGE the valid rows into silver and check the reconciliation
 * invariant; the rejected rows of every entity go to silver.quarantine and the counts to
 * ops.dq_results at the end, in one commit each. A day with orphans gets them relabelled where
 * their parent was quarantined, a second look the days without orphans do not pay for.
 */
public final class CleanBatch {
    public static final StructType QUARANTINE_SCHEMA = new StructType()
            .add("entity", DataTypes.StringType)
            .add("batch_date", DataTypes.DateType)
            .add("rule", DataTypes.StringType)
            .add("raw", DataTypes.StringType)
            .add(Lineage.SOURCE_FILE, DataTypes.StringType)
            .add(Lineage.RUN_ID, DataTypes.StringType)
            // Added with cascades: last, where a schema merge puts it in older tables.
            .add("details", DataTypes.StringType);

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
        // Quarantine and dq rows of every entity handled are committed together at the end (or
        // when an entity fails), one Delta commit per table instead of one per entity.
        List<Reconciliation> results = new ArrayList<>();
        List<Dataset<Row>> classifiedByEntity = new ArrayList<>();
        // Classified rows of the waves done: their quarantined keys explain the next waves' orphans.
        Map<Entity, Dataset<Row>> classifiedSoFar = new EnumMap<>(Entity.class);
        List<Entity> handled = new ArrayList<>();
        List<DqRow> dq = new ArrayList<>();
        try {
            // Entities of a wave only point at entities of earlier waves, whose silver is merged by
            // then; within a wave they are independent and cleaned side by side. A failure stops
            // the waves after it (the failing entity's silver is left as it was).
            for (List<Entity> wave : waves()) {
                List<EntityRun> runs = Concurrently.map(wave, e -> cleanOne(e, batchDate, runId, classifiedSoFar));
                Throwable failure = null;
                for (EntityRun run : runs) {
                    if (run.classified() != null) {
                        classifiedByEntity.add(run.classified());
                        classifiedSoFar.put(run.entity(), run.classified());
                        handled.add(run.entity());
                    }
                    dq.addAll(run.dq());
                    if (run.failure() != null) {
                        failure = failure == null ? run.failure() : failure;
                        continue;
                    }
                    Reconciliation r = run.reconciliation();
                    results.add(r);
                    progress.accept(String.format("%-13s %,9d landed: %,d inserted, %,d updated, %,d quarantined, %,d duplicates, %,d superseded, %,d not newer%s%s%s",
                            r.entity().tableName(), r.landed(), r.inserted(), r.updated(), r.quarantined(), r.duplicates(),
                            r.superseded(), r.notNewer(), r.guests() > 0 ? String.format(" (%,d guest)", r.guests()) : "",
                            r.quarantineRules().isEmpty() ? "" : "  " + r.quarantineRules(),
                            r.cascades().isEmpty() ? "" : "; parents quarantined for " + r.cascades()));
                }
                if (failure != null) {
                    throw Concurrently.rethrow(failure);
                }
            }
        } finally {
            if (!handled.isEmpty()) {
                writeQuarantine(batchDate, handled, classifiedByEntity);
                ops.writeDqResults(batchDate, handled.stream().map(Entity::tableName).toList(), dq, runId);
                lakehouse.register(Table.DQ_RESULTS);
            }
            classifiedByEntity.forEach(Dataset::unpersist);
        }
        results.sort(Comparator.comparing(r -> Entity.inDependencyOrder().indexOf(r.entity())));
        return results;
    }

    /**
     * One entity's part of a batch: its classified rows (persisted; null when it failed before
     * classifying), its dq rows, and either its reconciliation or what it failed with.
     */
    private record EntityRun(Entity entity, Dataset<Row> classified, List<DqRow> dq, Reconciliation reconciliation,
                             Throwable failure) {}

    private EntityRun cleanOne(Entity e, LocalDate batchDate, String runId, Map<Entity, Dataset<Row>> classifiedSoFar) {
        List<DqRow> dq = new ArrayList<>();
        Dataset<Row> classified = null;
        try {
            Dataset<Row> bronze = lakehouse.read(Table.bronze(e))
                    .where(col(Lineage.BATCH_DATE).equalTo(lit(Date.valueOf(batchDate))));
            long landed = bronze.count();
            boolean smallDay = landed <= ReferenceCheck.SMALL_DAY_ROWS;
            if (e == Entity.ORDER_ITEMS) {
                // Negative quantities are valid on the lines of a cancelled or returned order.
                bronze = OrderStatus.attach(bronze, keys(Entity.ORDERS, "order_id", "status"), smallDay);
            }
            EntityCleaner cleaner = new EntityCleaner(e, mapping, params.defaultCountry());
            String guestColumn = e.columnNames().contains("customer_id") && !e.column("customer_id").required()
                    ? "customer_id" : null;
            classified = classify(cleaner, bronze, references(e, Set.of(), batchDate, classifiedSoFar), smallDay, runId);
            ClassifiedCounts counts = ClassifiedCounts.of(classified, cleaner.warningNames(), guestColumn);
            // A day with orphans takes a second look, which only it pays for: an orphan whose parent
            // row was quarantined, today or on an earlier day, is relabelled as a cascade.
            Set<String> orphanRules = FOREIGN_KEYS.getOrDefault(e, List.of()).stream().map(ForeignKey::rule)
                    .filter(counts.rules()::containsKey).collect(java.util.stream.Collectors.toSet());
            if (!orphanRules.isEmpty()) {
                Dataset<Row> explained = ReferenceCheck.explainOrphans(classified,
                        references(e, orphanRules, batchDate, classifiedSoFar), smallDay).persist();
                counts = ClassifiedCounts.of(explained, cleaner.warningNames(), guestColumn);
                classified.unpersist();
                classified = explained;
            }
            return new EntityRun(e, classified, dq, cleanEntity(e, batchDate, landed, classified, counts, dq), null);
        } catch (Exception failure) { // Scala code throws checked exceptions undeclared
            return new EntityRun(e, classified, dq, null, failure);
        }
    }

    /** The day's bronze rows classified and checked against their references, persisted. */
    private static Dataset<Row> classify(EntityCleaner cleaner, Dataset<Row> bronze, List<Reference> references,
            boolean smallDay, String runId) {
        return ReferenceCheck.apply(cleaner.classify(bronze), references, smallDay)
                .withColumn(Lineage.RUN_ID, lit(runId))
                .persist();
    }

    /** The entities in waves: each entity after every entity it points at (see {@link #FOREIGN_KEYS}). */
    static List<List<Entity>> waves() {
        Map<Entity, Integer> wave = new EnumMap<>(Entity.class);
        for (Entity e : Entity.inDependencyOrder()) {
            int w = 0;
            for (ForeignKey fk : FOREIGN_KEYS.getOrDefault(e, List.of())) {
                w = Math.max(w, wave.get(fk.target()) + 1);
            }
            wave.put(e, w);
        }
        List<List<Entity>> waves = new ArrayList<>();
        for (Entity e : Entity.inDependencyOrder()) {
            while (waves.size() <= wave.get(e)) {
                waves.add(new ArrayList<>());
            }
            waves.get(wave.get(e)).add(e);
        }
        return waves;
    }

    /**
     * Gate, merge and reconcile one entity. {@code landed} is counted on bronze, independently of
     * the classification, so that a row lost between the two breaks the invariant.
     */
    private Reconciliation cleanEntity(Entity entity, LocalDate batchDate, long landed, Dataset<Row> classified,
            ClassifiedCounts counts, List<DqRow> dq) {
        Map<String, Long> rules = counts.rules();
        Map<String, Long> warnings = counts.warnings();
        long quarantined = counts.outcome("quarantine");
        long duplicates = counts.outcome("duplicate");
        long superseded = counts.outcome("superseded");

        // The gate judges the entity's own faults: rows refused because their parent was are the
        // parent's problem, and counted (and gated) there.
        Reconciliation partial = new Reconciliation(entity, landed, 0, 0, superseded, 0, quarantined, duplicates,
                rules, counts.cascades(), warnings, counts.guests());
        double share = partial.quarantineShare();
        double max = params.maxQuarantineShare().getOrDefault(entity, 1.0);
        if (share > max) {
            addDq(dq, entity, partial, 1);
            Map<String, Long> own = new java.util.TreeMap<>(rules);
            own.remove(Reference.PARENT_QUARANTINED);
            throw new QualityGateError(String.format(
                    "quality gate failed for %s on %s: %.1f%% of %,d rows quarantined (max %.1f%%; rules %s)%s; "
                            + "silver.%s was not changed: see silver.quarantine, fix the export and run ingest and clean again, "
                            + "or raise crmlake.clean.max-quarantine-share-by-entity.%s if the share is expected",
                    entity.tableName(), batchDate, 100 * share, landed, 100 * max, own,
                    partial.cascaded() == 0 ? "" : String.format(", not counting %,d quarantined only because their parent"
                            + " row was (parent: root entity.rule %s)", partial.cascaded(), counts.cascades()),
                    entity.tableName(), entity.tableName()));
        }
        Dataset<Row> valid = classified.where(col(EntityCleaner.OUTCOME).equalTo("valid"));
        SilverMerge.Outcome merged = new SilverMerge(lakehouse, entity).merge(valid, counts.outcome("valid"));
        lakehouse.register(Table.silver(entity));
        if (SilverVersions.kept(entity) && counts.outcome("valid") > 0) {
            new SilverVersions(lakehouse, entity).merge(SilverMerge.shaped(valid, entity));
        }
        Reconciliation r = new Reconciliation(entity, landed, merged.inserted(), merged.updated(), superseded,
                merged.notNewer(), quarantined, duplicates, rules, counts.cascades(), warnings, counts.guests());
        addDq(dq, entity, r, 0);
        if (!r.holds()) {
            throw new ReconciliationError("reconciliation failed for " + entity.tableName() + " on " + batchDate
                    + ": " + r.describe() + " (accounted for " + r.accountedFor() + "); bronze still holds every"
                    + " landed row: report this with ops.dq_results of the day, and run clean again after the fix");
        }
        return r;
    }

    /** A column of an entity that must name a row of another entity's silver table. */
    private record ForeignKey(String column, Entity target, String rule) {}

    /** Foreign keys per entity, checked against what silver holds after the entities they point at. */
    private static final Map<Entity, List<ForeignKey>> FOREIGN_KEYS = Map.of(
            Entity.ORDERS, List.of(new ForeignKey("customer_id", Entity.CUSTOMERS, "orphan_customer")),
            Entity.ORDER_ITEMS, List.of(
                    new ForeignKey("order_id", Entity.ORDERS, "orphan_order"),
                    new ForeignKey("product_id", Entity.PRODUCTS, "unknown_product")),
            Entity.INTERACTIONS, List.of(
                    new ForeignKey("customer_id", Entity.CUSTOMERS, "orphan_customer"),
                    new ForeignKey("campaign_id", Entity.CAMPAIGNS, "unknown_campaign")),
            Entity.TICKETS, List.of(new ForeignKey("customer_id", Entity.CUSTOMERS, "orphan_customer")));

    /**
     * The entity's foreign keys, each with the keys of its parent in silver; those whose rule is
     * in {@code explain} also with the keys of the parent's quarantined rows (today's from
     * {@code classifiedSoFar}, earlier days' from silver.quarantine), which make a miss a cascade
     * rather than an orphan.
     */
    private List<Reference> references(Entity entity, Set<String> explain, LocalDate batchDate,
            Map<Entity, Dataset<Row>> classifiedSoFar) {
        List<Reference> refs = new ArrayList<>();
        for (ForeignKey fk : FOREIGN_KEYS.getOrDefault(entity, List.of())) {
            if (!explain.contains(fk.rule())) {
                refs.add(new Reference(fk.column(), keys(fk.target(), fk.column()), fk.rule()));
                continue;
            }
            Optional<Dataset<Row>> earlier = lakehouse.exists(Table.QUARANTINE)
                    ? Optional.of(lakehouse.read(Table.QUARANTINE).where(col("entity").equalTo(fk.target().tableName())
                            .and(col("batch_date").lt(lit(Date.valueOf(batchDate))))))
                    : Optional.empty();
            Dataset<Row> today = classifiedSoFar.get(fk.target());
            Optional<Dataset<Row>> quarantined = today == null ? Optional.empty()
                    : Optional.of(QuarantinedParents.of(fk.target().tableName(), fk.column(), batchDate, today, earlier));
            refs.add(new Reference(fk.column(), keys(fk.target(), fk.column()), fk.rule(), fk.target().tableName(),
                    quarantined));
        }
        return refs;
    }

    /** The given columns of an entity's silver table; no rows when it does not exist yet. */
    private Dataset<Row> keys(Entity entity, String... columns) {
        Table t = Table.silver(entity);
        if (!lakehouse.exists(t)) {
            StructType schema = new StructType();
            for (String c : columns) {
                schema = schema.add(c, DataTypes.StringType);
            }
            return lakehouse.spark().createDataFrame(List.of(), schema);
        }
        return lakehouse.read(t).select(java.util.Arrays.stream(columns).map(c -> col(c)).toArray(Column[]::new));
    }

    /** Replaces the day's quarantine rows of the entities handled, in one commit. */
    private void writeQuarantine(LocalDate batchDate, List<Entity> entities, List<Dataset<Row>> classified) {
        Dataset<Row> rejected = null;
        for (int i = 0; i < entities.size(); i++) {
            Dataset<Row> part = classified.get(i).where(col(EntityCleaner.OUTCOME).equalTo("quarantine"))
                    .select(lit(entities.get(i).tableName()).as("entity"), col(Lineage.BATCH_DATE).as("batch_date"),
                            col(EntityCleaner.RULE).as("rule"), col(EntityCleaner.RAW).as("raw"),
                            col(Lineage.SOURCE_FILE), col(Lineage.RUN_ID), col(EntityCleaner.DETAILS).as("details"));
            rejected = rejected == null ? part : rejected.unionByName(part);
        }
        rejected = rejected.coalesce(1);
        // The first day: nothing to replace, so one write creates the table with the rows.
        if (lakehouse.createWith(Table.QUARANTINE, rejected, QUARANTINE_SCHEMA)) {
            return;
        }
        rejected.write().format("delta").mode("overwrite")
                // Quarantine tables written before cascades had details gain the column.
                .option("mergeSchema", "true")
                .option("replaceWhere", "batch_date = DATE'" + batchDate + "' AND " + OpsTables.entityIn(
                        entities.stream().map(Entity::tableName).toList()))
                .save(lakehouse.path(Table.QUARANTINE));
        lakehouse.register(Table.QUARANTINE);
    }

    private static void addDq(List<DqRow> dq, Entity entity, Reconciliation r, long gateFailed) {
        String e = entity.tableName();
        long total = r.landed();
        r.quarantineRules().forEach((rule, n) -> dq.add(new DqRow(e, rule, "error", n, total)));
        r.warnings().forEach((rule, n) -> dq.add(new DqRow(e, rule, "warn", n, total)));
        r.cascades().forEach((root, n) -> dq.add(new DqRow(e, Reference.PARENT_QUARANTINED + ": " + root, "info", n, total)));
        if (r.guests() > 0) {
            dq.add(new DqRow(e, "guest", "info", r.guests(), total));
        }
        dq.add(new DqRow(e, "exact_duplicate", "info", r.duplicates(), total));
        dq.add(new DqRow(e, "superseded_in_batch", "info", r.superseded(), total));
        dq.add(new DqRow(e, "not_newer_than_silver", "info", r.notNewer(), total));
        dq.add(new DqRow(e, "inserted", "info", r.inserted(), total));
        dq.add(new DqRow(e, "updated", "info", r.updated(), total));
        dq.add(new DqRow(e, "quality_gate", "error", gateFailed, total));
        if (gateFailed == 0) {
            dq.add(new DqRow(e, "reconciliation", "error", Math.abs(r.landed() - r.accountedFor()), total));
        }
    }
}
