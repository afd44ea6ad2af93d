package io.crmlake.clean;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A foreign key to check: rows whose {@code column} is not null and not among {@code keys}
 * (a one-column Dataset) break {@code rule}.
 */
public record Reference(String column, Dataset<Row> keys, String rule) {}
