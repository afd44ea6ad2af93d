package io.crmlake.jobs.sql;

import java.util.StringJoiner;

/**
 * CSV lines with RFC 4180 quoting: a field holding a comma, a double quote or a line break is
 * quoted, its quotes doubled. A null is an empty field and an empty string is {@code ""}, the way
 * Spark's own CSV writer tells them apart.
 */
public final class Csv {
    private Csv() {}

    public static String line(String[] values) {
        StringJoiner line = new StringJoiner(",");
        for (String v : values) {
            line.add(field(v));
        }
        return line.toString();
    }

    public static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.isEmpty()) {
            return "\"\"";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
