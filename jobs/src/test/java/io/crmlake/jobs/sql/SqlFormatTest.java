package io.crmlake.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The text table and CSV quoting, without Spark. */
class SqlFormatTest {
    @Test
    void tableAlignsColumnsAndRightAlignsNumbers() {
        List<String> lines = TextTable.render(List.of("segment_name", "customers"), new boolean[] {false, true},
                List.of(new String[] {"Champions", "312"}, new String[] {"New", "7"}, new String[] {null, "1234"}));
        assertThat(lines).containsExactly(
                " segment_name | customers",
                "--------------+-----------",
                " Champions    |       312",
                " New          |         7",
                " NULL         |      1234");
    }

    @Test
    void tableKeepsEachRowOnOneLine() {
        List<String> lines = TextTable.render(List.of("text"), new boolean[] {false},
                List.<String[]>of(new String[] {"line one\nline two\tend"}));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).isEqualTo(" line one\\nline two\\tend");
    }

    @Test
    void csvQuotesOnlyWhatRfc4180Requires() {
        assertThat(Csv.line(new String[] {"plain", "a,b", "say \"hi\"", "two\nlines", null, ""}))
                .isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\"\"");
    }
}
