package io.crmlake.models.recommend;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Inputs of the recommender: every customer to recommend to (a Dataset with at least
 * customer_id, e.g. silver.customers) and the silver orders and order lines. Lineage and other
 * columns may be present and are ignored.
 */
public record RecommendInputs(Dataset<Row> customers, Dataset<Row> orders, Dataset<Row> orderItems) {}
