package io.crmlake.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.config.SourceMapping;
import io.crmlake.generate.DialectWriter;
import io.crmlake.generate.GeneratorOptions;
import io.crmlake.generate.SampleGenerator;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;
import io.crmlake.testing.SharedSpark;

/**
 * The same generated exports delivered twice, once canonical and once as a Salesforce-style
 * export (other folders, field names, timestamp format, status codes, an opt-out flag), are
 * ingested and cleaned through the command line into two warehouses: silver must come out equal.
 */
class SalesforceDialectTest {
    private final SparkSession spark = SharedSpark.get();

    @Test
    void salesforceExportCleansToTheSameSilverAsCanonical() throws IOException {
        Path dir = SharedSpark.tempDir("dialect");
        Path canonical = dir.resolve("canonical");
        Path salesforce = dir.resolve("salesforce");
        SampleGenerator.generate(new GeneratorOptions(150, 1, 11L, LocalDate.parse("2026-11-01"), canonical));
        new DialectWriter(SourceMapping.load("salesforce")).convert(canonical, salesforce);
        assertThat(salesforce.resolve("Contact").resolve("2026-11-01").resolve("customers.csv")).exists();
        String header = Files.readAllLines(salesforce.resolve("Order").resolve("2026-11-01").resolve("orders.csv")).get(0);
        assertThat(header).startsWith("Id,BillToContactId,EffectiveDate");

        for (String day : List.of("2026-11-01")) {
            run("ingest", day, canonical, dir.resolve("w-canonical"), "canonical");
            run("clean", day, canonical, dir.resolve("w-canonical"), "canonical");
        }
        List<Dataset<Row>> canonicalSilver = snapshot();
        long canonicalQuarantine = spark.table("silver.quarantine").count();
        for (String day : List.of("2026-11-01")) {
            run("ingest", day, salesforce, dir.resolve("w-salesforce"), "salesforce");
            run("clean", day, salesforce, dir.resolve("w-salesforce"), "salesforce");
        }
        List<Dataset<Row>> salesforceSilver = snapshot();
        for (int i = 0; i < Entity.values().length; i++) {
            Entity e = Entity.values()[i];
            assertThat(salesforceSilver.get(i).count()).as(e.tableName()).isEqualTo(canonicalSilver.get(i).count());
            assertThat(salesforceSilver.get(i).exceptAll(canonicalSilver.get(i)).count()).as(e.tableName()).isZero();
        }
        assertThat(spark.table("silver.quarantine").count()).isEqualTo(canonicalQuarantine);
        assertThat(spark.table("silver.customers").where(col("marketing_opt_in")).count())
                .as("opt-out flag turned into opt-in").isPositive();
    }

    private void run(String job, String day, Path landing, Path warehouse, String source) {
        CliRun r = CliRun.of(job, "--date", day, "--set", "landing=" + landing, "--set", "warehouse=" + warehouse,
                "--set", "source=" + source);
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    /** Silver content without the lineage that differs by delivery (file paths, run ids). */
    private List<Dataset<Row>> snapshot() {
        return java.util.Arrays.stream(Entity.values())
                .map(e -> spark.table("silver." + e.tableName()).drop(Lineage.SOURCE_FILE, Lineage.RUN_ID).localCheckpoint())
                .toList();
    }
}
