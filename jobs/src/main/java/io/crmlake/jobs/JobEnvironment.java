package io.crmlake.jobs;

import java.util.HashMap;
import java.util.Map;

import org.apache.spark.sql.SparkSession;

import io.crmlake.config.Settings;
import io.crmlake.config.SourceMapping;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.SparkSessions;

/**
 * What a command runs with: validated settings, the source mapping, one SparkSession and the
 * lakehouse with every existing table registered in the catalog. One environment serves every
 * job of a command, so demo and nightly pay Spark's start-up once.
 */
final class JobEnvironment {
    final Settings settings;
    final SourceMapping mapping;
    final SparkSession spark;
    final Lakehouse lakehouse;

    private JobEnvironment(Settings settings, SourceMapping mapping, SparkSession spark) {
        this.settings = settings;
        this.mapping = mapping;
        this.spark = spark;
        this.lakehouse = new Lakehouse(spark, settings.warehouse());
        this.lakehouse.registerAll();
    }

    static JobEnvironment open(Settings settings, String appName) {
        SourceMapping mapping = SourceMapping.load(settings.source());
        return new JobEnvironment(settings, mapping, session(settings, appName));
    }

    /** The SparkSession the configuration describes, without touching the warehouse (sql checks it first). */
    static SparkSession session(Settings settings, String appName) {
        Map<String, String> conf = new HashMap<>(settings.spark().conf());
        conf.putIfAbsent("spark.sql.shuffle.partitions", String.valueOf(settings.spark().shufflePartitions()));
        return SparkSessions.getOrCreate(appName, settings.spark().master(), conf);
    }
}
