package io.crmlake.jobs.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of strings as an aligned table for a terminal, in the style of psql: a header, a rule, one
 * line per row, numbers right-aligned. Nothing is cut short (long values widen their column), nulls
 * read NULL, and line breaks and tabs inside a value are shown escaped so each row stays on one line.
 */
public final class TextTable {
    static final String NULL = "NULL";

    private TextTable() {}

    public static List<String> render(List<String> header, boolean[] rightAligned, List<String[]> rows) {
        int columns = header.size();
        List<String[]> cells = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            String[] shown = new String[columns];
            for (int i = 0; i < columns; i++) {
                shown[i] = row[i] == null ? NULL : escape(row[i]);
            }
            cells.add(shown);
        }
        int[] widths = new int[columns];
        for (int i = 0; i < columns; i++) {
            widths[i] = width(header.get(i));
            for (String[] row : cells) {
                widths[i] = Math.max(widths[i], width(row[i]));
            }
        }
        List<String> lines = new ArrayList<>(cells.size() + 2);
        lines.add(line(header.toArray(String[]::new), widths, new boolean[columns]));
        lines.add(rule(widths));
        for (String[] row : cells) {
            lines.add(line(row, widths, rightAligned));
        }
        return lines;
    }

    private static String line(String[] values, int[] widths, boolean[] rightAligned) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? " " : " | ");
            String padding = " ".repeat(widths[i] - width(values[i]));
            sb.append(rightAligned[i] ? padding + values[i] : values[i] + padding);
        }
        return sb.toString().stripTrailing();
    }

    private static String rule(int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : "+").append("-".repeat(widths[i] + 2));
        }
        return sb.toString();
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String escape(String value) {
        return value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
