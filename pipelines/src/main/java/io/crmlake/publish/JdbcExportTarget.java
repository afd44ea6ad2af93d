package io.crmlake.publish;

import java.util.List;

/**
 * The JDBC upsert ({@link JdbcUpsert}, keyed on customer_id, one transaction) as a publish target.
 * The deletions travel in the same transaction: a changes-only export deletes the rows of the
 * customers deleted from gold.customer_scores since the last export; a full export deletes every
 * row whose customer it does not hold, so that the table mirrors gold.customer_scores.
 */
public record JdbcExportTarget(JdbcTarget target) implements ExportTarget {
    public static final String NAME = "jdbc";
    private static final List<String> KEY = List.of("customer_id");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String send(Export export) {
        JdbcUpsert.Deletion deletion = export.full()
                ? new JdbcUpsert.Deletion.KeysNotInRows()
                : new JdbcUpsert.Deletion.Keys(export.deletedIds());
        UpsertResult r = new JdbcUpsert(target).upsert(export.rows(), KEY, deletion);
        return String.format("%s: %,d inserted, %,d updated, %,d already up to date, %,d deleted%s", target.describe(),
                r.inserted(), r.updated(), r.unchanged(), r.deleted(),
                export.full() ? " (not in gold.customer_scores)" : "");
    }
}
