package io.crmlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.crmlake.testing.SharedSpark;

/**
 * {@code crmlake sql} through the real command line on a tiny warehouse of two Delta tables. The
 * tables are written by path and never registered here: the command has to find them itself, as
 * in a fresh JVM.
 */
class SqlCommandTest {
    private static Path warehouse;

    @BeforeAll
    static void tinyWarehouse() {
        SparkSession spark = SharedSpark.get();
        warehouse = SharedSpark.tempDir("sql").resolve("warehouse");
        spark.sql("""
                SELECT * FROM VALUES
                  ('c1', 'Champions', 0.91D, array('p1', 'p2'), DATE'2026-11-01'),
                  ('c2', 'At risk, "VIP"', 0.35D, CAST(array() AS ARRAY<STRING>), DATE'2026-11-01'),
                  ('c3', CAST(NULL AS STRING), CAST(NULL AS DOUBLE), array('p3'), DATE'2026-11-01')
                  AS t(customer_id, segment_name, purchase_probability, recommended_products, as_of_date)
                """).write().format("delta").save(warehouse.resolve("gold/sqltest_scores").toString());
        spark.sql("SELECT * FROM VALUES ('c1', 'Lyon'), ('c2', 'Oslo'), ('c3', 'Lyon') AS t(customer_id, city)")
                .write().format("delta").save(warehouse.resolve("silver/sqltest_customers").toString());
    }

    private static CliRun sql(String... args) {
        List<String> all = new ArrayList<>(List.of("sql"));
        all.addAll(List.of(args));
        all.addAll(List.of("--set", "warehouse=" + warehouse));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static final String SCORES = "SELECT customer_id, segment_name, purchase_probability, recommended_products "
            + "FROM gold.sqltest_scores ORDER BY customer_id";

    @Test
    void tablePrintsAlignedColumnsUnderAHeaderAndNothingElseOnStdout() {
        CliRun r = sql(SCORES);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("""
                 customer_id | segment_name   | purchase_probability | recommended_products
                -------------+----------------+----------------------+----------------------
                 c1          | Champions      |                 0.91 | [p1, p2]
                 c2          | At risk, "VIP" |                 0.35 | []
                 c3          | NULL           |                 NULL | [p3]
                (3 rows)
                """);
    }

    @Test
    void csvQuotesAndJsonKeepsTypesAndNulls() {
        CliRun csv = sql(SCORES.replace("recommended_products ", "recommended_products, as_of_date "), "--format", "csv");
        assertThat(csv.exitCode()).as(csv.toString()).isZero();
        assertThat(csv.out()).isEqualTo("""
                customer_id,segment_name,purchase_probability,recommended_products,as_of_date
                c1,Champions,0.91,"[p1, p2]",2026-11-01
                c2,"At risk, ""VIP""\",0.35,[],2026-11-01
                c3,,,[p3],2026-11-01
                """);

        CliRun json = sql(SCORES, "--format", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.out().lines()).containsExactly(
                "{\"customer_id\":\"c1\",\"segment_name\":\"Champions\",\"purchase_probability\":0.91,\"recommended_products\":[\"p1\",\"p2\"]}",
                "{\"customer_id\":\"c2\",\"segment_name\":\"At risk, \\\"VIP\\\"\",\"purchase_probability\":0.35,\"recommended_products\":[]}",
                "{\"customer_id\":\"c3\",\"segment_name\":null,\"purchase_probability\":null,\"recommended_products\":[\"p3\"]}");
    }

    @Test
    void limitSaysWhenRowsWereLeftOut() {
        CliRun table = sql(SCORES, "--limit", "2");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out().lines()).hasSize(5).contains(" c2          | At risk, \"VIP\" |                 0.35 | []")
                .last().isEqualTo("(first 2 rows; the result has more: raise --limit, or --limit 0 for all)");

        CliRun csv = sql(SCORES, "--format", "csv", "--limit", "1");
        assertThat(csv.out().lines()).hasSize(2);
        assertThat(csv.err()).contains("crmlake sql: printed the first 1 row; the result has more");

        CliRun exact = sql(SCORES, "--format", "CSV", "--limit", "3");
        assertThat(exact.out().lines()).hasSize(4);
        assertThat(exact.err()).doesNotContain("the result has more");
    }

    @Test
    void fileRunsEveryStatementAndPrintsEachResult() throws IOException {
        Path file = Files.createTempFile(warehouse.getParent(), "report", ".sql");
        Files.writeString(file, """
                -- customers per city; the view is a step, it prints nothing
                CREATE OR REPLACE TEMPORARY VIEW scored AS
                  SELECT s.customer_id, c.city, s.segment_name
                  FROM gold.sqltest_scores s JOIN silver.sqltest_customers c USING (customer_id);
                SELECT city, count(*) AS customers FROM scored GROUP BY city ORDER BY city;
                SELECT 'a;b' AS text;
                """);
        CliRun r = sql("-f", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("""
                 city | customers
                ------+-----------
                 Lyon |         2
                 Oslo |         1
                (2 rows)

                 text
                ------
                 a;b
                (1 row)
                """);
    }

    @Test
    void aBadQueryEndsWithOneLineAndExitCode2() throws IOException {
        CliRun syntax = sql("SELEC customer_id FROM gold.sqltest_scores");
        assertThat(syntax.exitCode()).as(syntax.toString()).isEqualTo(2);
        assertThat(syntax.out()).isEmpty();
        assertThat(syntax.err()).startsWith("crmlake sql: [PARSE_SYNTAX_ERROR]")
                .endsWith("; fix the statement (SHOW TABLES IN gold and DESCRIBE <table> list the names)" + System.lineSeparator());
        assertThat(syntax.err().strip().lines()).hasSize(1);

        CliRun missing = sql("SELECT * FROM gold.no_such_table");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err()).startsWith("crmlake sql: [TABLE_OR_VIEW_NOT_FOUND]").contains("`gold`.`no_such_table`");
        assertThat(missing.err().strip().lines()).hasSize(1);

        Path file = Files.createTempFile(warehouse.getParent(), "broken", ".sql");
        Files.writeString(file, "SELECT 1 AS one;\n\nSELECT no_such_column FROM gold.sqltest_scores;\n");
        CliRun inFile = sql("-f", file.toString());
        assertThat(inFile.exitCode()).as(inFile.toString()).isEqualTo(2);
        assertThat(inFile.err()).startsWith("crmlake sql (statement 2 of 2, line 3): [UNRESOLVED_COLUMN")
                .contains("no_such_column");
    }

    @Test
    void aMissingWarehouseIsNamedWithWhatToRunFirst() {
        Path nowhere = warehouse.resolveSibling("no-warehouse");
        CliRun r = CliRun.of("sql", "SELECT 1", "--set", "warehouse=" + nowhere);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith("crmlake sql: warehouse ").contains(nowhere.toString())
                .contains("run `bin/crmlake demo` first");
        assertThat(nowhere).doesNotExist();
    }

    @Test
    void helpNamesTheOptions() {
        CliRun r = CliRun.of("sql", "--help");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("QUERY", "--file", "--format", "--limit", "--conf", "--set");
    }

    @Test
    void queryOrFileIsRequired() {
        CliRun none = sql();
        assertThat(none.exitCode()).as(none.toString()).isEqualTo(2);
        assertThat(none.err()).contains("Missing SQL: give a QUERY or --file FILE");
        CliRun noFile = sql("-f", warehouse.resolveSibling("absent.sql").toString());
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("crmlake sql: file not found: ");
    }
}
