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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import io.crmlake.config.SourceMapping;
import io.crmlake.config.SourceMapping.EntityMapping;
import io.crmlake.schema.Entity;
import io.crmlake.schema.Lineage;

/**
 * Reads one landed file as delivered: every value a string, columns renamed from the dialect's
 * names to the canonical ones. Columns the mapping does not know are kept, as JSON, in
 * {@code _rescued}; an optional column the file lacks is null; a missing required column is an
 * error naming the file. Files are read one by one because each export file has its own header.
 */
public final class LandedFileReader {
    private final SparkSession spark;
    private final SourceMapping mapping;

    public LandedFileReader(SparkSession spark, SourceMapping mapping) {
        this.spark = spark;
        this.mapping = mapping;
    }

    /** The file's rows with the canonical columns of the entity, as strings, plus {@code _rescued}. */
    public Dataset<Row> read(Entity entity, LandingZone.LandedFile file) {
        Dataset<Row> delivered = readAsStrings(file);
        EntityMapping em = mapping.entity(entity);
        Map<String, String> byLowerName = new HashMap<>();
        for (String c : delivered.columns()) {
            byLowerName.put(c.trim().toLowerCase(Locale.ROOT), c);
        }
        List<Column> out = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (Entity.Column c : entity.columns()) {
            String sourceName = em.sourceColumn(c.name());
            String actual = byLowerName.get(sourceName.toLowerCase(Locale.ROOT));
            if (actual == null) {
                if (c.required()) {
                    throw new IngestError(file.path() + ": required column '" + sourceName + "'"
                            + (sourceName.equals(c.name()) ? "" : " (" + c.name() + ")")
                            + " is missing; the header has " + List.of(delivered.columns())
                            + ". Fix the export or the source mapping (crmlake.source=" + mapping.name() + ")");
                }
                out.add(lit(null).cast(DataTypes.StringType).as(c.name()));
            } else {
                out.add(col(quoted(actual)).cast(DataTypes.StringType).as(c.name()));
                used.add(actual);
            }
        }
        List<Column> extras = new ArrayList<>();
        for (String c : delivered.columns()) {
            if (!used.contains(c)) {
                extras.add(col(quoted(c)).cast(DataTypes.StringType).as(c.trim()));
            }
        }
        out.add(extras.isEmpty()
                ? lit(null).cast(DataTypes.StringType).as(Lineage.RESCUED)
                : to_json(struct(extras.toArray(Column[]::new))).as(Lineage.RESCUED));
        return delivered.select(out.toArray(Column[]::new));
    }

    private Dataset<Row> readAsStrings(LandingZone.LandedFile file) {
        switch (file.format()) {
            case "csv":
                return spark.read()
                        .option("header", "true")
                        .option("inferSchema", "false")
                        .option("sep", mapping.delimiter())
                        .option("quote", mapping.quote())
                        .option("escape", mapping.escape())
                        .option("encoding", mapping.encoding())
                        .option("multiLine", "true")
                        .option("mode", "PERMISSIVE")
                        .csv(file.path());
            case "json":
                return spark.read()
                        .option("primitivesAsString", "true")
                        .option("mode", "PERMISSIVE")
                        .json(file.path());
            case "parquet":
                Dataset<Row> p = spark.read().parquet(file.path());
                List<Column> asStrings = new ArrayList<>();
                for (StructField f : p.schema().fields()) {
                    asStrings.add(col(quoted(f.name())).cast(DataTypes.StringType).as(f.name()));
                }
                return p.select(asStrings.toArray(Column[]::new));
            default:
                throw new IngestError("unsupported format " + file.format() + " for " + file.path());
        }
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
