package io.crmlake.jobs.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of strings as an aligned table for a terminal, in the style of psql: a header, a rule, the
 * rows, numbers right-aligned. Nothing is cut short (long values widen their column) and nulls read
 * NULL. A value with line breaks (EXPLAIN's plan, a ticket's text) continues on the next lines of
 * its column, each line but its last marked with a '+' as psql does (in the last column right after
 * the text, so a wide value does not make every line wrap); tabs are shown as \t.
 */
public final class TextTable {
    static final String NULL = "NULL";

    private TextTable() {}

    public static List<String> render(List<String> header, boolean[] rightAligned, List<String[]> rows) {
        int columns = header.size();
        List<String[][]> cells = new ArrayList<>(rows.size()); // row, column, line
        for (String[] row : rows) {
            String[][] shown = new String[columns][];
            for (int i = 0; i < columns; i++) {
                shown[i] = row[i] == null ? new String[] {NULL} : lines(row[i]);
            }
            cells.add(shown);
        }
        int[] widths = new int[columns];
        for (int i = 0; i < columns; i++) {
            widths[i] = width(header.get(i));
            for (String[][] row : cells) {
                for (String line : row[i]) {
                    widths[i] = Math.max(widths[i], width(line));
                }
            }
        }
        List<String> out = new ArrayList<>(cells.size() + 2);
        String[][] headerCells = header.stream().map(h -> new String[] {h}).toArray(String[][]::new);
        out.addAll(physicalLines(headerCells, widths, new boolean[columns]));
        out.add(rule(widths));
        for (String[][] row : cells) {
            out.addAll(physicalLines(row, widths, rightAligned));
        }
        return out;
    }

    /** The lines of one row: as many as its tallest value has. */
    private static List<String> physicalLines(String[][] row, int[] widths, boolean[] rightAligned) {
        int height = 1;
        for (String[] value : row) {
            height = Math.max(height, value.length);
        }
        List<String> lines = new ArrayList<>(height);
        for (int k = 0; k < height; k++) {
            StringBuilder sb = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                String text = k < row[i].length ? row[i][k] : "";
                boolean last = i == row.length - 1;
                // The last column is not padded on the left-aligned side: a wide plan would wrap every line.
                String padding = " ".repeat(rightAligned[i] || !last ? widths[i] - width(text) : 0);
                sb.append(i == 0 ? "" : "| ")
                        .append(rightAligned[i] ? padding + text : text + padding)
                        .append(k < row[i].length - 1 ? (last && !rightAligned[i] ? " +" : "+") : " ");
            }
            lines.add(sb.toString().stripTrailing());
        }
        return lines;
    }

    private static String rule(int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : "+").append("-".repeat(widths[i] + 2));
        }
        return sb.toString();
    }

    /** The lines of a value; line breaks at its end (EXPLAIN ends with two) would only add empty lines. */
    private static String[] lines(String value) {
        return value.replace("\t", "\\t").replaceFirst("\\R+$", "").split("\\R", -1);
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
