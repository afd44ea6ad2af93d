package io.crmlake.lakehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.SessionCatalog;

import scala.Option;
import org.apache.spark.sql.types.StructType;

import io.delta.tables.DeltaTable;

/**
 * The path-based Delta tables under one warehouse root, and their registration in the session
 * catalog as databases bronze, silver, gold and ops, so that analysts can write
 * {@code select ... from silver.orders} without a Hive metastore.
 */
public final class Lakehouse {
    public static final List<String> DATABASES = List.of("bronze", "silver", "gold", "ops");

    private final SparkSession spark;
    private final String root;

    private static final Object CATALOG_LOCK = new Object();

    public Lakehouse(SparkSession spark, String warehouseRoot) {
        this.spark = spark;
        this.root = qualify(spark, warehouseRoot);
    }

    public SparkSession spark() {
        return spark;
    }

    public String root() {
        return root;
    }

    public String path(Table t) {
        return root + "/" + t.db() + "/" + t.name();
    }

    /** Folder of a saved model version: {@code <warehouse>/models/<name>/<version>}. */
    public String modelPath(String modelName, String version) {
        return root + "/models/" + modelName + "/" + version;
    }

    public boolean exists(Table t) {
        return DeltaTable.isDeltaTable(spark, path(t));
    }

    public Dataset<Row> read(Table t) {
        return spark.read().format("delta").load(path(t));
    }

    public DeltaTable delta(Table t) {
        return DeltaTable.forPath(spark, path(t));
    }

    /** Creates the table empty with the given schema when it does not exist yet (v0). */
    public void createIfMissing(Table t, StructType schema, String... partitionColumns) {
        createIfMissing(t, schema, java.util.Map.of(), partitionColumns);
    }

    /** As {@link #createIfMissing(Table, StructType, String...)}, with Delta table properties. */
    public void createIfMissing(Table t, StructType schema, java.util.Map<String, String> properties,
            String... partitionColumns) {
        if (exists(t)) {
            return;
        }
        var builder = DeltaTable.createIfNotExists(spark).location(path(t)).addColumns(schema);
        for (var p : properties.entrySet()) {
            builder = builder.property(p.getKey(), p.getValue());
        }
        if (partitionColumns.length > 0) {
            builder = builder.partitionedBy(partitionColumns);
        }
        builder.execute();
        register(t);
    }

    /**
     * Creates a missing table holding {@code rows}, shaped to {@code schema} (its columns in its
     * order, cast to its types), in one write: one commit where {@link #createIfMissing} and a
     * write would make two, an empty v0 and the rows. Returns false, writing nothing, when the
     * table exists. For a first write whose outcome is the same as the caller's usual write on an
     * empty table (a MERGE that can only insert, a replaceWhere with nothing to replace); Delta
     * refuses the write if another writer created the table in between.
     */
    public boolean createWith(Table t, Dataset<Row> rows, StructType schema) {
        if (exists(t)) {
            return false;
        }
        rows.select(java.util.Arrays.stream(schema.fields())
                        .map(f -> org.apache.spark.sql.functions.col(f.name()).cast(f.dataType()).as(f.name()))
                        .toArray(org.apache.spark.sql.Column[]::new))
                .write().format("delta").mode("errorifexists").save(path(t));
        register(t);
        return true;
    }

    /**
     * Adds the columns of {@code schema} that an existing table lacks (at the end, empty in the old
     * rows): a table written by an earlier crmlake gains the columns a newer one writes.
     */
    public void addMissingColumns(Table t, StructType schema) {
        List<String> present = List.of(read(t).columns());
        List<String> added = new ArrayList<>();
        for (var f : schema.fields()) {
            if (!present.contains(f.name())) {
                added.add("`" + f.name() + "` " + f.dataType().sql());
            }
        }
        if (!added.isEmpty()) {
            spark.sql("ALTER TABLE delta.`" + path(t).replace("`", "``") + "` ADD COLUMNS (" + String.join(", ", added) + ")");
        }
    }

    /** Whether the warehouse root folder exists (a fresh installation has none until the first job). */
    public boolean rootExists() {
        Path rootPath = new Path(root);
        try {
            return rootPath.getFileSystem(hadoopConf()).exists(rootPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + root, e);
        }
    }

    /**
     * Registers every existing table of the warehouse in the session catalog (see {@link #tables()}).
     * Returns the tables found.
     */
    public List<Table> registerAll() {
        DATABASES.forEach(this::ensureDatabase);
        List<Table> found = tables();
        found.forEach(this::register);
        return found;
    }

    /**
     * Every existing table of the warehouse: each {@code <warehouse>/<db>/<table>} folder whose
     * {@code _delta_log} holds a commit. A folder whose first write never committed (a job killed
     * in it: Delta makes the log folder before the commit) holds no table, and registering it
     * would fail; the job's next run creates the table there.
     */
    public List<Table> tables() {
        List<Table> found = new ArrayList<>();
        for (String db : DATABASES) {
            Path dbPath = new Path(root + "/" + db);
            try {
                FileSystem fs = dbPath.getFileSystem(hadoopConf());
                if (!fs.exists(dbPath)) {
                    continue;
                }
                FileStatus[] folders = fs.listStatus(dbPath);
                java.util.Arrays.sort(folders); // by path: the same order on every file system
                for (FileStatus st : folders) {
                    Path log = new Path(st.getPath(), "_delta_log");
                    if (st.isDirectory() && fs.exists(log) && latestCommit(fs, log) >= 0) {
                        found.add(new Table(db, st.getPath().getName()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dbPath, e);
            }
        }
        return found;
    }

    /**
     * The latest commit version of every existing table, read from the names of its
     * {@code _delta_log/<version>.json} files (one listing per table, no log replay): what
     * {@code JobWork} compares before and after a job to count the Delta commits it made.
     */
    public java.util.Map<Table, Long> commitVersions() {
        java.util.Map<Table, Long> versions = new java.util.LinkedHashMap<>();
        for (Table t : tables()) {
            Path log = new Path(path(t) + "/_delta_log");
            try {
                versions.put(t, latestCommit(log.getFileSystem(hadoopConf()), log));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + log, e);
            }
        }
        return versions;
    }

    /** The highest {@code <version>.json} commit file in a {@code _delta_log} folder; -1 when there is none. */
    private static long latestCommit(FileSystem fs, Path log) throws IOException {
        long latest = -1;
        for (FileStatus st : fs.listStatus(log)) {
            String name = st.getPath().getName();
            if (name.length() == 25 && name.endsWith(".json") && name.chars().limit(20).allMatch(Character::isDigit)) {
                latest = Math.max(latest, Long.parseLong(name.substring(0, 20)));
            }
        }
        return latest;
    }

    /**
     * Registers one table in the session catalog (idempotent). A name registered for another
     * warehouse in this session is re-pointed here; dropping an external table keeps its files.
     */
    public void register(Table t) {
        // Check-then-drop-then-create must not interleave with another thread of this session
        // doing the same (one JVM running jobs side by side, as the tests do).
        synchronized (CATALOG_LOCK) {
            ensureDatabase(t.db());
            String registered = registeredLocation(t);
            if (path(t).equals(registered)) {
                return; // already there: a CREATE TABLE would make Delta read the table's log again, for nothing
            }
            if (registered != null) {
                spark.sql("DROP TABLE " + t.qualifiedName());
            }
            spark.sql("CREATE TABLE IF NOT EXISTS " + t.qualifiedName() + " USING DELTA LOCATION '"
                    + escape(path(t)) + "'");
        }
    }

    private String registeredLocation(Table t) {
        TableIdentifier id = new TableIdentifier(t.name(), Option.apply(t.db()));
        SessionCatalog catalog = spark.sessionState().catalog();
        if (!catalog.tableExists(id)) {
            return null;
        }
        String location;
        try {
            location = catalog.getTableMetadata(id).location().toString();
        } catch (Exception e) { // the catalog's checked "no such table/namespace": not registered
            return null;
        }
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }

    private void ensureDatabase(String db) {
        spark.sql("CREATE DATABASE IF NOT EXISTS " + db + " LOCATION '" + escape(root + "/" + db) + "'");
    }

    private Configuration hadoopConf() {
        return spark.sparkContext().hadoopConfiguration();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    /** Turns a relative local path into an absolute URI; leaves URIs with a scheme as they are. */
    static String qualify(SparkSession spark, String location) {
        Path p = new Path(location);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            String q = fs.makeQualified(p).toString();
            return q.endsWith("/") ? q.substring(0, q.length() - 1) : q;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + location, e);
        }
    }
}
