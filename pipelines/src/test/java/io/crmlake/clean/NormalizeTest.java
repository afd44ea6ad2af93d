package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.crmlake.schema.Types;
import io.crmlake.testing.SharedSpark;

/** Each normalisation on the values real exports carry, expected results written beside them. */
class NormalizeTest {
    private final SparkSession spark = SharedSpark.get();

    @Test
    void emailsAreTrimmedLowerCasedAndValidated() {
        assertThat(apply(Normalize::email, "  Jane.Doe@Example.COM ", "jane.doe@", "jane.doe.example.com",
                "jane@@example.com", "", null, "o'brien+crm@mail.co.uk"))
                .containsExactly("jane.doe@example.com", null, null, null, null, null, "o'brien+crm@mail.co.uk");
    }

    @Test
    void phonesBecomeDigitsWithCountryCode() {
        List<Object> out = new ArrayList<>();
        String[][] cases = {
                {"+1 555-123-4567", "US"}, {"(555) 123-4567", "US"}, {"555.123.4567", "US"},
                {"0044 20 7946 0958", "US"}, {"+44 20 7946 0958", null}, {"020 7946 0958", "GB"},
                {"030 1234567", "DE"}, {"12", "US"}, {"call me", "US"}, {"", "US"}};
        for (String[] c : cases) {
            out.add(PhoneNumbers.normalise(c[0], c[1]));
        }
        assertThat(out).containsExactly("15551234567", "15551234567", "15551234567", "442079460958",
                "442079460958", "442079460958", "49301234567", null, null, null);
    }

    @Test
    void phoneColumnUsesTheRowsCountry() {
        Dataset<Row> df = spark.createDataFrame(List.of(
                        new Pair("020 7946 0958", "GB"), new Pair("(555) 123-4567", "US")), Pair.class);
        List<Row> rows = df.select(Normalize.phone(col("a"), col("b"))).collectAsList();
        assertThat(rows.get(0).getString(0)).isEqualTo("442079460958");
        assertThat(rows.get(1).getString(0)).isEqualTo("15551234567");
    }

    @Test
    void countriesFromCodesAlpha3AndNames() {
        assertThat(apply(Normalize::country, "US", "usa", "United States", "U.S.A.", "Germany", "FRA", "gb", "UK",
                "Atlantis", null))
                .containsExactly("US", "US", "US", "US", "DE", "FR", "GB", "GB", null, null);
    }

    @Test
    void booleansGenderNumbersAndCodes() {
        assertThat(apply(c -> Normalize.bool(c, List.of("true", "yes", "1"), List.of("false", "no", "0")),
                "TRUE", "no", "1", "maybe")).containsExactly(true, false, true, null);
        assertThat(apply(Normalize::gender, "F", "Male", "x", "unknown", ""))
                .containsExactly("female", "male", "other", null, null);
        assertThat(apply(c -> Normalize.decimal(c, Types.MONEY), "12.5", " 3 ", "1e2", "abc", "99999999999999"))
                .containsExactly(new BigDecimal("12.50"), new BigDecimal("3.00"), new BigDecimal("100.00"), null, null);
        assertThat(apply(Normalize::integer, "3", "3.0", "3.5", "-2", "x")).containsExactly(3, 3, null, -2, null);
        assertThat(apply(c -> Normalize.code(c, Map.of("Activated", "completed")), "Activated", " Cancelled "))
                .containsExactly("completed", "cancelled");
    }

    private List<Object> apply(java.util.function.Function<Column, Column> f, String... values) {
        Dataset<Row> df = spark.createDataset(Arrays.asList(values), Encoders.STRING()).toDF("v");
        List<Object> out = new ArrayList<>();
        for (Row r : df.select(f.apply(col("v"))).collectAsList()) {
            out.add(r.get(0));
        }
        return out;
    }

    /** Two strings, for expressions over two columns. */
    public static class Pair implements java.io.Serializable {
        private String a;
        private String b;

        public Pair() {}

        Pair(String a, String b) {
            this.a = a;
            this.b = b;
        }

        public String getA() { return a; }
        public void setA(String a) { this.a = a; }
        public String getB() { return b; }
        public void setB(String b) { this.b = b; }
    }
}
