package io.crmlake.publish;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The file export ({@link FileExport}) as a publish target. */
public record FileTarget(String exportsRoot, ExportMapping mapping) implements ExportTarget {
    public static final String NAME = "files";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String send(Dataset<Row> rows, LocalDate asOf) {
        FileExport.Written w = FileExport.write(rows, mapping, exportsRoot, asOf);
        return w.csvFile() + " and " + w.parquetFolder() + " (" + mapping.name() + " field names)";
    }
}
