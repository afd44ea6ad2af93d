package io.crmlake.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.crmlake.jobs.sql.SqlScript.Statement;

/** Where a script's statements end: only at semicolons outside literals, identifiers and comments. */
class SqlScriptTest {
    @Test
    void splitsAtSemicolonsAndDropsEmptyPieces() {
        List<Statement> s = SqlScript.split("SELECT 1;\n\nSELECT 2 ;\n;  ;\n");
        assertThat(s).extracting(Statement::text).containsExactly("SELECT 1", "SELECT 2");
        assertThat(s).extracting(Statement::number).containsExactly(1, 2);
        assertThat(s).extracting(Statement::line).containsExactly(1, 3);
    }

    @Test
    void semicolonsInLiteralsIdentifiersAndCommentsDoNotSplit() {
        String script = """
                SELECT 'a;b', "c;d", 'it\\'s; fine', `odd;name` FROM t; -- a comment; not a statement
                /* block; /* nested; */ still comment; */ SELECT 2
                """;
        List<Statement> s = SqlScript.split(script);
        assertThat(s).extracting(Statement::text).containsExactly(
                "SELECT 'a;b', \"c;d\", 'it\\'s; fine', `odd;name` FROM t",
                "-- a comment; not a statement\n/* block; /* nested; */ still comment; */ SELECT 2");
        assertThat(s.get(1).line()).as("the line of the statement's first code, after its comments").isEqualTo(2);
    }

    @Test
    void onlyCommentsMeansNoStatement() {
        assertThat(SqlScript.split("-- nothing here;\n/* nor; here */\n")).isEmpty();
        assertThat(SqlScript.split("SELECT 1 -- no semicolon at the end")).extracting(Statement::text)
                .containsExactly("SELECT 1 -- no semicolon at the end");
    }
}
