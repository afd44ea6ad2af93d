package io.crmlake.publish;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;

/**
 * One Spark row as a line of COPY's CSV format. Every value is written in PostgreSQL's text form
 * and quoted, so an empty string stays an empty string; SQL NULL is the unquoted empty field.
 * Arrays are written as PostgreSQL array literals ({@code {"P7","P2"}}) with every element
 * quoted, then quoted as one CSV field. Timestamps are written as UTC instants
 * ({@code 2026-11-01T10:00:00Z}), which timestamptz reads without reference to any time zone.
 */
final class CopyCsvRow {
    private CopyCsvRow() {}

    static void append(StringBuilder line, Row row, StructType schema) {
        for (int i = 0; i < schema.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            if (row.isNullAt(i)) {
                continue; // unquoted empty field: NULL
            }
            String text = schema.fields()[i].dataType() instanceof ArrayType
                    ? arrayLiteral(row.getList(i))
                    : scalarText(row.get(i));
            line.append('"').append(text.replace("\"", "\"\"")).append('"');
        }
        line.append('\n');
    }

    private static String arrayLiteral(List<Object> elements) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            Object element = elements.get(i);
            if (element == null) {
                literal.append("NULL");
            } else {
                String text = scalarText(element);
                literal.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return literal.append('}').toString();
    }

    /** PostgreSQL's input form of a Java value as Spark hands it out. */
    private static String scalarText(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        } else if (value instanceof Timestamp t) {
            return t.toInstant().toString();
        } else if (value instanceof Date d) {
            return d.toLocalDate().toString();
        } else if (value instanceof Instant || value instanceof LocalDate || value instanceof LocalDateTime) {
            return value.toString(); // the java8 datetime API of Spark, when enabled
        } else if (value instanceof byte[] bytes) {
            return "\\x" + HexFormat.of().formatHex(bytes);
        }
        // String, Boolean and the numbers: Java's text is PostgreSQL's (NaN, Infinity included).
        return value.toString();
    }
}
