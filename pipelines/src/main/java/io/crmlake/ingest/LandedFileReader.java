package io.crmlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import io.crmlake.config.SourceMapping;
import io.crmlake.config.SourceMapping.EntityMapping;
import io.crmlake.schema.Entity;
import io.crmlake.schema.InvoiceLine;
import io.crmlake.schema.Lineage;

/**
 * Reads one landed file as delivered: every value a string, columns renamed from the dialect's
 * names to the canonical ones. A record the parser cannot split into the header's fields keeps
 * what could be read and carries its raw text in {@code _malformed}, so that clean quarantines it
 * instead of it vanishing. Columns the mapping does not know are kept as JSON in {@code _rescued},
 * ignored or refused, per {@link ExtraColumns}; an optional column the file lacks is null; a
 * missing required column is an error naming the file. Files are read one by one because each
 * export file has its own header.
 */
public final class LandedFileReader {
    /** The file's rows, and what of its header did not match the mapping. */
    public record Delivered(Dataset<Row> rows, List<String> missingOptional, List<String> extraColumns) {}

    private final SparkSession spark;
    private final SourceMapping mapping;
    private final ExtraColumns extraColumns;

    public LandedFileReader(SparkSession spark, SourceMapping mapping, ExtraColumns extraColumns) {
        this.spark = spark;
        this.mapping = mapping;
        this.extraColumns = extraColumns;
    }

    /**
     * The file's rows with the canonical columns of the entity, as strings, plus {@code _rescued}
     * and {@code _malformed}. The header is read here, so a file that cannot be ingested fails
     * before anything is written.
     */
    public Delivered read(Entity entity, LandingZone.LandedFile file) {
        EntityMapping em = mapping.entity(entity);
        return read(entity.columns(), em::sourceColumn, file);
    }

    /** The rows of a flat invoice-line file, with the canonical invoice-line columns ({@link InvoiceLine}). */
    public Delivered readInvoiceLines(LandingZone.LandedFile file) {
        SourceMapping.InvoiceLines il = mapping.invoiceLines().orElseThrow(
                () -> new IllegalStateException("source mapping " + mapping.name() + " has no invoice-lines"));
        return read(InvoiceLine.COLUMNS, il::sourceColumn, file);
    }

    /** {@code sourceName}: the export's name of each canonical column. */
    private Delivered read(List<Entity.Column> columns, java.util.function.UnaryOperator<String> sourceNames,
            LandingZone.LandedFile file) {
        Dataset<Row> delivered = readAsStrings(file);
        Map<String, String> byLowerName = new HashMap<>();
        for (String c : delivered.columns()) {
            if (!c.equals(Lineage.MALFORMED)) {
                byLowerName.put(headerName(c).toLowerCase(Locale.ROOT), c);
            }
        }
        List<Column> out = new ArrayList<>();
        List<String> used = new ArrayList<>(List.of(Lineage.MALFORMED));
        List<String> missingOptional = new ArrayList<>();
        for (Entity.Column c : columns) {
            String sourceName = sourceNames.apply(c.name());
            String actual = byLowerName.get(sourceName.toLowerCase(Locale.ROOT));
            if (actual == null) {
                if (c.required()) {
                    throw new IngestError(file.path() + ": required column '" + sourceName + "'"
                            + (sourceName.equals(c.name()) ? "" : " (" + c.name() + ")")
                            + " is missing; the header has " + header(delivered)
                            + ". Nothing was ingested for this day: fix the export, or map the column in the source mapping"
                            + " (crmlake.source=" + mapping.name() + "), and run ingest again");
                }
                missingOptional.add(sourceName);
                out.add(lit(null).cast(DataTypes.StringType).as(c.name()));
            } else {
                out.add(col(quoted(actual)).cast(DataTypes.StringType).as(c.name()));
                used.add(actual);
            }
        }
        List<Column> extras = new ArrayList<>();
        List<String> extraNames = new ArrayList<>();
        for (String c : delivered.columns()) {
            if (!used.contains(c)) {
                extras.add(col(quoted(c)).cast(DataTypes.StringType).as(headerName(c)));
                extraNames.add(headerName(c));
            }
        }
        if (!extraNames.isEmpty() && extraColumns == ExtraColumns.FAIL) {
            throw new IngestError(file.path() + ": column(s) " + extraNames + " are not in the source mapping"
                    + " (crmlake.source=" + mapping.name() + "). Nothing was ingested for this day: map them, or set"
                    + " crmlake.ingest.extra-columns=keep (kept in bronze _rescued) or ignore, and run ingest again");
        }
        out.add(extras.isEmpty() || extraColumns == ExtraColumns.IGNORE
                ? lit(null).cast(DataTypes.StringType).as(Lineage.RESCUED)
                : to_json(struct(extras.toArray(Column[]::new))).as(Lineage.RESCUED));
        out.add(List.of(delivered.columns()).contains(Lineage.MALFORMED)
                ? col(Lineage.MALFORMED)
                : lit(null).cast(DataTypes.StringType).as(Lineage.MALFORMED));
        return new Delivered(delivered.select(out.toArray(Column[]::new)), missingOptional, extraNames);
    }

    private Dataset<Row> readAsStrings(LandingZone.LandedFile file) {
        switch (file.format()) {
            case "csv":
                // Spark's CSV reader flags a record with more or fewer fields than the header only
                // when the schema has a corrupt-record column, and then applies the schema by
                // position: so the header is read first and becomes that schema.
                StructType header = new StructType();
                for (String name : csv().csv(file.path()).columns()) {
                    header = header.add(name, DataTypes.StringType);
                }
                return csv().schema(header.add(Lineage.MALFORMED, DataTypes.StringType))
                        .option("columnNameOfCorruptRecord", Lineage.MALFORMED)
                        .csv(file.path());
            case "json":
                // A line that is not a JSON object gets its text in _malformed (the column only
                // exists when the file has such a line).
                return spark.read()
                        .option("primitivesAsString", "true")
                        .option("mode", "PERMISSIVE")
                        .option("columnNameOfCorruptRecord", Lineage.MALFORMED)
                        .json(file.path());
            case "parquet":
                Dataset<Row> p = spark.read().parquet(file.path());
                List<Column> asStrings = new ArrayList<>();
                for (StructField f : p.schema().fields()) {
                    asStrings.add(col(quoted(f.name())).cast(DataTypes.StringType).as(f.name()));
                }
                return p.select(asStrings.toArray(Column[]::new));
            default:
                throw new IngestError("unsupported format " + file.format() + " for " + file.path()
                        + ": move it out of the day folder and run ingest again");
        }
    }

    private DataFrameReader csv() {
        return spark.read()
                .option("header", "true")
                .option("inferSchema", "false")
                .option("sep", mapping.delimiter())
                .option("quote", mapping.quote())
                .option("escape", mapping.escape())
                .option("encoding", mapping.encoding())
                .option("multiLine", "true")
                .option("mode", "PERMISSIVE");
    }

    /** A header cell as people wrote it: without surrounding blanks or a byte-order mark. */
    private static String headerName(String c) {
        return c.replace("\uFEFF", "").trim();
    }

    private static List<String> header(Dataset<Row> delivered) {
        List<String> names = new ArrayList<>(List.of(delivered.columns()));
        names.remove(Lineage.MALFORMED);
        return names;
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
