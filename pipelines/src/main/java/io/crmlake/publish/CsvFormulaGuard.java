package io.crmlake.publish;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * Makes rows safe to open in a spreadsheet. A text field that starts with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return is run as a formula by Excel, LibreOffice and
 * Google Sheets (CSV injection, OWASP); such fields get a leading apostrophe, which spreadsheets
 * read as "this is text" and do not display. Only text is touched: numbers, dates and
 * timestamps keep their type, so a negative number stays a number. Arrays are joined into one
 * text field first (with the mapping's separator) and then guarded.
 */
public final class CsvFormulaGuard {
    /** Leading characters that make a spreadsheet evaluate a cell. */
    static final String FORMULA_START = "^[=+\\-@\\t\\r]";

    private CsvFormulaGuard() {}

    public static Dataset<Row> neutralise(Dataset<Row> rows, String listSeparator) {
        List<Column> out = new ArrayList<>();
        for (StructField f : rows.schema().fields()) {
            Column c = col(quoted(f.name()));
            if (f.dataType() instanceof ArrayType a && a.elementType() instanceof StringType) {
                out.add(guard(array_join(c, listSeparator)).as(f.name()));
            } else if (f.dataType() instanceof ArrayType) {
                out.add(guard(array_join(c.cast("array<string>"), listSeparator)).as(f.name()));
            } else if (f.dataType() instanceof StringType) {
                out.add(guard(c).as(f.name()));
            } else {
                out.add(c);
            }
        }
        return rows.select(out.toArray(Column[]::new));
    }

    /** The text with an apostrophe in front when a spreadsheet would run it; null stays null. */
    static Column guard(Column text) {
        return when(text.rlike(FORMULA_START), concat(lit("'"), text)).otherwise(text);
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
