package io.crmlake.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.spark.sql.SparkSession;

import io.crmlake.lakehouse.SparkSessions;

/**
 * The one SparkSession of a test JVM: built on first use, local[2], UI off, two shuffle
 * partitions, stopped when the JVM exits. Test classes share it; each uses its own temporary
 * warehouse folder.
 *
 * <p>Expressions and plans run interpreted, without generated code: on the tests' handfuls of
 * rows, generating and compiling Java for every query is what the CPU does most (in a profile of
 * CleanBatchTest, Janino, the code generator and the formatter that strips the generated source
 * took about 40% of the samples; without generated code the class used 15% less CPU), and the
 * interpreted operators give the same results. The jobs' own runs keep code generation: the Airflow DAG tests' spark-submits
 * and KilledJobTest's child JVMs run every job with Spark's defaults (CONTRIBUTING.md, "Tests").
 */
public final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {}

    public static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSessions.getOrCreate("crmlake-tests", "local[2]", Map.of(
                    "spark.ui.enabled", "false",
                    "spark.sql.shuffle.partitions", "2",
                    "spark.default.parallelism", "2",
                    "spark.driver.host", "127.0.0.1",
                    "spark.databricks.delta.snapshotPartitions", "2",
                    "spark.sql.codegen.wholeStage", "false",
                    "spark.sql.codegen.factoryMode", "NO_CODEGEN"));
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory("crmlake-" + prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
