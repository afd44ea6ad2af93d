package io.crmlake.publish;

import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The JDBC upsert ({@link JdbcUpsert}, keyed on customer_id, one transaction) as a publish target. */
public record JdbcExportTarget(JdbcTarget target) implements ExportTarget {
    public static final String NAME = "jdbc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String send(Dataset<Row> rows, LocalDate asOf) {
        UpsertResult r = new JdbcUpsert(target).upsert(rows, List.of("customer_id"));
        return String.format("%s: %,d inserted, %,d updated, %,d already up to date", target.describe(), r.inserted(),
                r.updated(), r.unchanged());
    }
}
