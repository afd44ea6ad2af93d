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
    void aValueWithLineBreaksContinuesInItsColumnMarkedWithAPlus() {
        List<String> lines = TextTable.render(List.of("id", "text"), new boolean[] {true, false},
                List.of(new String[] {"1", "line one\nline two\twith a tab\n\n"}, new String[] {"2", "short"}));
        assertThat(lines).as("the trailing line breaks dropped").containsExactly(
                " id | text",
                "----+----------------------",
                "  1 | line one +",
                "    | line two\\twith a tab",
                "  2 | short");
        List<String> middle = TextTable.render(List.of("text", "n"), new boolean[] {false, true},
                List.<String[]>of(new String[] {"a\nbb", "1"}));
        assertThat(middle).containsExactly(
                " text | n",
                "------+---",
                " a   +| 1",
                " bb   |");
    }

    @Test
    void csvQuotesOnlyWhatRfc4180Requires() {
        assertThat(Csv.line(new String[] {"plain", "a,b", "say \"hi\"", "two\nlines", null, ""}))
                .isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\"\"");
    }
}
