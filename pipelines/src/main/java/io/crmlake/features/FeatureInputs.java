package io.crmlake.features;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Silver inputs of the feature stage. Each Dataset has at least the typed columns of its entity;
 * lineage columns may be present and are ignored.
 */
public record FeatureInputs(Dataset<Row> customers, Dataset<Row> orders, Dataset<Row> orderItems,
                            Dataset<Row> products, Dataset<Row> interactions, Dataset<Row> tickets) {}
