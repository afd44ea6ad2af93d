package io.crmlake.lakehouse;

import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession every crmlake job runs in: Delta's SQL extension and catalog, UTC
 * session time zone, and whatever Spark settings the configuration adds. The master is never set
 * here unless nobody else did (spark-submit or the local launcher set it).
 */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession getOrCreate(String appName, String fallbackMaster, Map<String, String> sparkConf) {
        SparkConf conf = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (!conf.contains("spark.master") && fallbackMaster != null && !fallbackMaster.isBlank()) {
            builder.master(fallbackMaster);
        }
        builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", "UTC")
                // Keeps ./spark-warehouse from appearing wherever a job runs; databases get explicit locations.
                .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/crmlake-spark-warehouse")
                .config("spark.ui.showConsoleProgress", "false");
        sparkConf.forEach(builder::config);
        return builder.getOrCreate();
    }
}
