package io.crmlake.features;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.ingest.IngestError;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.schema.Entity;

/**
 * Silver inputs of the feature stage. Each Dataset has at least the typed columns of its entity;
 * lineage columns may be present and are ignored.
 */
public record FeatureInputs(Dataset<Row> customers, Dataset<Row> orders, Dataset<Row> orderItems,
                            Dataset<Row> products, Dataset<Row> interactions, Dataset<Row> tickets) {

    /** The current silver tables; fails with what to run when one is missing. */
    public static FeatureInputs fromSilver(Lakehouse lakehouse) {
        return new FeatureInputs(silver(lakehouse, Entity.CUSTOMERS), silver(lakehouse, Entity.ORDERS),
                silver(lakehouse, Entity.ORDER_ITEMS), silver(lakehouse, Entity.PRODUCTS),
                silver(lakehouse, Entity.INTERACTIONS), silver(lakehouse, Entity.TICKETS));
    }

    private static Dataset<Row> silver(Lakehouse lakehouse, Entity e) {
        Table t = Table.silver(e);
        if (!lakehouse.exists(t)) {
            throw new IngestError(t + " does not exist in " + lakehouse.root() + ": run `crmlake clean` first");
        }
        return lakehouse.read(t);
    }
}
