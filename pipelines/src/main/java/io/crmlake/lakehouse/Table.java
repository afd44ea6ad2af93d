package io.crmlake.lakehouse;

import io.crmlake.schema.Entity;

/** A table of the lakehouse: catalog database and name; its files live at {@code <warehouse>/<db>/<name>}. */
public record Table(String db, String name) {
    public static final Table QUARANTINE = new Table("silver", "quarantine");
    public static final Table CUSTOMER_FEATURES = new Table("gold", "customer_features");
    public static final Table CUSTOMER_SEGMENTS = new Table("gold", "customer_segments");
    public static final Table SEGMENT_PROFILES = new Table("gold", "segment_profiles");
    public static final Table SEGMENT_HISTORY = new Table("gold", "segment_history");
    public static final Table SEGMENT_TRANSITIONS = new Table("gold", "segment_transitions");
    public static final Table ASSOCIATION_RULES = new Table("gold", "association_rules");
    public static final Table PURCHASE_PROPENSITY = new Table("gold", "purchase_propensity");
    public static final Table RECOMMENDATIONS = new Table("gold", "recommendations");
    public static final Table MODEL_REGISTRY = new Table("gold", "model_registry");
    public static final Table CUSTOMER_SCORES = new Table("gold", "customer_scores");
    public static final Table JOB_RUNS = new Table("ops", "job_runs");
    public static final Table DQ_RESULTS = new Table("ops", "dq_results");
    public static final Table EXPORT_STATE = new Table("ops", "export_state");
    public static final Table PUBLISH_CHECKS = new Table("ops", "publish_checks");

    public static Table bronze(Entity e) {
        return new Table("bronze", e.tableName());
    }

    public static Table silver(Entity e) {
        return new Table("silver", e.tableName());
    }

    public String qualifiedName() {
        return db + "." + name;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
