package io.crmlake.features;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.crmlake.clean.SilverVersions;
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

    /**
     * The silver tables as the night of {@code asOf} saw them; fails with what to run when one is
     * missing. Customers and products are the versions known on that date ({@link SilverVersions}),
     * so a re-run or backfill of a past date does not see later changes of a customer or product.
     * Orders, items, events and tickets are facts: the feature code itself keeps to those dated on
     * or before the as-of date.
     */
    public static FeatureInputs fromSilver(Lakehouse lakehouse, LocalDate asOf) {
        return new FeatureInputs(versioned(lakehouse, Entity.CUSTOMERS, asOf), silver(lakehouse, Entity.ORDERS),
                silver(lakehouse, Entity.ORDER_ITEMS), versioned(lakehouse, Entity.PRODUCTS, asOf),
                silver(lakehouse, Entity.INTERACTIONS), silver(lakehouse, Entity.TICKETS));
    }

    private static Dataset<Row> versioned(Lakehouse lakehouse, Entity e, LocalDate asOf) {
        silver(lakehouse, e); // the same error when the entity was never cleaned
        return SilverVersions.asOf(lakehouse, e, asOf);
    }

    private static Dataset<Row> silver(Lakehouse lakehouse, Entity e) {
        Table t = Table.silver(e);
        if (!lakehouse.exists(t)) {
            throw new IngestError(t + " does not exist in " + lakehouse.root() + ": run `crmlake clean` first");
        }
        return lakehouse.read(t);
    }
}
