package io.crmlake.clean;

import java.util.Optional;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A foreign key to check: rows whose {@code column} is not null and not among {@code keys}
 * (a one-column Dataset) break {@code rule}; unless the key is among {@code quarantinedParents}
 * (see {@link QuarantinedParents}): then the row is quarantined only because its parent row of
 * {@code parentEntity} was, and gets the rule {@link #PARENT_QUARANTINED} instead.
 */
public record Reference(String column, Dataset<Row> keys, String rule, String parentEntity,
                        Optional<Dataset<Row>> quarantinedParents) {
    public static final String PARENT_QUARANTINED = "parent_quarantined";

    /** A reference without quarantined parents: every miss is an orphan. */
    public Reference(String column, Dataset<Row> keys, String rule) {
        this(column, keys, rule, null, Optional.empty());
    }
}
