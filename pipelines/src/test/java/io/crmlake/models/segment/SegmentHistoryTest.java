package io.crmlake.models.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.crmlake.testing.SharedSpark;

/**
 * Three nights of segment history for five customers:
 * <pre>
 *         night 1      night 2      night 3
 *   A     Champions    Champions    Champions     never moves
 *   B     Loyal        At risk      Hibernating   moves twice
 *   C     New          New          Loyal         moves on night 3
 *   D     -            Potential    -             arrives on night 2, is gone on night 3
 *   E     -            -            New           arrives on night 3
 * </pre>
 */
class SegmentHistoryTest {
    private static final LocalDate N1 = LocalDate.parse("2026-11-01");
    private static final LocalDate N2 = LocalDate.parse("2026-11-02");
    private static final LocalDate N3 = LocalDate.parse("2026-11-03");
    private static final StructType HISTORY = new StructType()
            .add("customer_id", DataTypes.StringType).add("segment_name", DataTypes.StringType)
            .add("valid_from", DataTypes.DateType).add("valid_to", DataTypes.DateType);
    private static final StructType ASSIGNMENTS = new StructType()
            .add("customer_id", DataTypes.StringType).add("as_of_date", DataTypes.DateType)
            .add("segment_name", DataTypes.StringType);
    private static final SparkSession spark = SharedSpark.get();
    /** The history after the three nights, as the next run reads it back from the table. */
    private static Dataset<Row> afterThreeNights;

    @BeforeAll
    static void runThreeNights() {
        Dataset<Row> h = stored(SegmentHistory.update(history(), night1(), N1));
        h = stored(SegmentHistory.update(h, night2(), N2));
        afterThreeNights = stored(SegmentHistory.update(h, night3(), N3));
    }

    /** The rows written, read back: each night starts from the stored table, not from a plan. */
    private static Dataset<Row> stored(Dataset<Row> history) {
        return spark.createDataFrame(history.collectAsList(), HISTORY);
    }

    private static Dataset<Row> night(LocalDate day, String... customerAndName) {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < customerAndName.length; i += 2) {
            rows.add(RowFactory.create(customerAndName[i], Date.valueOf(day), customerAndName[i + 1]));
        }
        return spark.createDataFrame(rows, ASSIGNMENTS);
    }

    private static Row h(String customer, String name, LocalDate from, LocalDate to) {
        return RowFactory.create(customer, name, Date.valueOf(from), to == null ? null : Date.valueOf(to));
    }

    private static Row t(LocalDate day, String from, String to, long customers) {
        return RowFactory.create(Date.valueOf(day), from, to, customers);
    }

    private static Dataset<Row> history(Row... rows) {
        return spark.createDataFrame(Arrays.asList(rows), HISTORY);
    }

    private static Dataset<Row> night1() {
        return night(N1, "A", "Champions", "B", "Loyal", "C", "New");
    }

    private static Dataset<Row> night2() {
        return night(N2, "A", "Champions", "B", "At risk", "C", "New", "D", "Potential");
    }

    private static Dataset<Row> night3() {
        return night(N3, "A", "Champions", "B", "Hibernating", "C", "Loyal", "E", "New");
    }

    private static final List<Row> EXPECTED = List.of(
            h("A", "Champions", N1, null),
            h("B", "Loyal", N1, N2),
            h("B", "At risk", N2, N3),
            h("B", "Hibernating", N3, null),
            h("C", "New", N1, N3),
            h("C", "Loyal", N3, null),
            h("D", "Potential", N2, N3),
            h("E", "New", N3, null));

    @Test
    void threeNightsKeepOpenRowsCloseChangedOnesAndOpenNewOnes() {
        assertThat(SegmentHistory.update(history(), night1(), N1).columns())
                .containsExactlyElementsOf(SegmentHistory.COLUMNS);
        assertThat(afterThreeNights.collectAsList()).containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @Test
    void reRunningTheLastNightGivesTheSameHistory() {
        assertThat(SegmentHistory.update(afterThreeNights, night3(), N3).collectAsList())
                .containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @Test
    void reRunningANightWithCorrectedAssignmentsReplacesWhatItWrote() {
        Dataset<Row> corrected = night(N3, "A", "Loyal", "B", "At risk", "C", "New", "D", "Potential", "E", "New");
        assertThat(SegmentHistory.update(afterThreeNights, corrected, N3).collectAsList())
                .containsExactlyInAnyOrder(
                        h("A", "Champions", N1, N3), h("A", "Loyal", N3, null),
                        h("B", "Loyal", N1, N2), h("B", "At risk", N2, null),
                        h("C", "New", N1, null),
                        h("D", "Potential", N2, null),
                        h("E", "New", N3, null));
    }

    @Test
    void transitionsCountTheMovesOfEachNight() {
        Dataset<Row> h = afterThreeNights;
        assertThat(SegmentHistory.transitions(h, N1).collectAsList()).containsExactlyInAnyOrder(
                t(N1, null, "Champions", 1), t(N1, null, "Loyal", 1), t(N1, null, "New", 1));
        assertThat(SegmentHistory.transitions(h, N2).collectAsList()).containsExactlyInAnyOrder(
                t(N2, "Loyal", "At risk", 1), t(N2, null, "Potential", 1));
        assertThat(SegmentHistory.transitions(h, N3).collectAsList()).as("D leaving is not a move")
                .containsExactlyInAnyOrder(t(N3, "At risk", "Hibernating", 1), t(N3, "New", "Loyal", 1), t(N3, null, "New", 1));
    }

    @Test
    void movesBetweenTheSameSegmentsAreSummed() {
        Dataset<Row> h = history(h("A", "Loyal", N1, N2), h("B", "Loyal", N1, N2), h("C", "New", N1, null),
                h("A", "At risk", N2, null), h("B", "At risk", N2, null));
        assertThat(SegmentHistory.transitions(h, N2).collectAsList()).containsExactly(t(N2, "Loyal", "At risk", 2));
    }
}
