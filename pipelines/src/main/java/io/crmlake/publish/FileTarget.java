package io.crmlake.publish;

/** The file export ({@link FileExport}) as a publish target. */
public record FileTarget(String exportsRoot, ExportMapping mapping) implements ExportTarget {
    public static final String NAME = "files";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String send(Export export) {
        FileExport.Written w = FileExport.write(export.rows(), export.deletedIds(), mapping, exportsRoot, export.asOf());
        return w.csvFile() + ", " + w.parquetFolder() + " and " + w.deletedCsvFile() + " (" + mapping.name()
                + " field names)";
    }
}
