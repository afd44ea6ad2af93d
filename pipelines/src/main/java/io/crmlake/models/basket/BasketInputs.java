package io.crmlake.models.basket;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Silver inputs of basket analysis. Each Dataset has at least the typed columns of its entity;
 * lineage columns may be present and are ignored. Products only lend their names to the rules.
 */
public record BasketInputs(Dataset<Row> orders, Dataset<Row> orderItems, Dataset<Row> products) {}
