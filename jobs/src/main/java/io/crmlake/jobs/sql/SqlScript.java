package io.crmlake.jobs.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements at the semicolons that end them. A semicolon inside a string
 * literal ('...' or "...", backslash escapes as Spark reads them), a quoted identifier (`...`) or a
 * comment (-- to the end of the line, nestable block comments) does not end a statement. Pieces
 * holding nothing but white space and comments are dropped, so a trailing semicolon or a commented-out
 * statement is harmless.
 */
public final class SqlScript {
    /** One statement: its position in the script (from 1), the line it starts on (from 1) and its text. */
    public record Statement(int number, int line, String text) {}

    private SqlScript() {}

    public static List<Statement> split(String script) {
        List<Statement> statements = new ArrayList<>();
        Scanner s = new Scanner(script);
        int start = 0;
        boolean hasCode = false; // something other than white space and comments since start
        int codeLine = 1;
        while (s.pos < script.length()) {
            char c = script.charAt(s.pos);
            if (c == ';') {
                add(statements, script.substring(start, s.pos), hasCode, codeLine);
                s.pos++;
                start = s.pos;
                hasCode = false;
            } else if (c == '-' && s.peek(1) == '-') {
                s.skipLineComment();
            } else if (c == '/' && s.peek(1) == '*') {
                s.skipBlockComment();
            } else if (c == '\'' || c == '"' || c == '`') {
                if (!hasCode) {
                    hasCode = true;
                    codeLine = s.line;
                }
                s.skipQuoted(c);
            } else {
                if (!hasCode && !Character.isWhitespace(c)) {
                    hasCode = true;
                    codeLine = s.line;
                }
                s.advance();
            }
        }
        add(statements, script.substring(start), hasCode, codeLine);
        return statements;
    }

    private static void add(List<Statement> statements, String piece, boolean hasCode, int line) {
        if (hasCode) {
            statements.add(new Statement(statements.size() + 1, line, piece.strip()));
        }
    }

    /** A cursor over the script that counts lines as it moves. */
    private static final class Scanner {
        final String text;
        int pos;
        int line = 1;

        Scanner(String text) {
            this.text = text;
        }

        char peek(int ahead) {
            int i = pos + ahead;
            return i < text.length() ? text.charAt(i) : '\0';
        }

        void advance() {
            if (text.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }

        void skipLineComment() {
            while (pos < text.length() && text.charAt(pos) != '\n') {
                pos++;
            }
        }

        /** Spark's block comments nest: /* a /* b *&#47; c *&#47; is one comment. */
        void skipBlockComment() {
            int depth = 0;
            while (pos < text.length()) {
                if (text.charAt(pos) == '/' && peek(1) == '*') {
                    depth++;
                    pos += 2;
                } else if (text.charAt(pos) == '*' && peek(1) == '/') {
                    depth--;
                    pos += 2;
                    if (depth == 0) {
                        return;
                    }
                } else {
                    advance();
                }
            }
        }

        /** Past the closing quote; a backslash escapes the next character in string literals (not in `identifiers`). */
        void skipQuoted(char quote) {
            advance();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\\' && quote != '`' && pos + 1 < text.length()) {
                    advance();
                    advance();
                } else if (c == quote) {
                    advance();
                    return;
                } else {
                    advance();
                }
            }
        }
    }
}
