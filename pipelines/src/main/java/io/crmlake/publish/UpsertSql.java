package io.crmlake.publish;

import static io.crmlake.publish.PostgresTypes.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The SQL of one upsert, derived from the rows' Spark schema, the key columns and the target
 * table. Every identifier is quoted, so names are taken exactly as given.
 */
final class UpsertSql {
    /** Session-private (TEMP) and dropped at commit or rollback, so concurrent runs never meet. */
    static final String STAGING = "crmlake_upsert_staging";
    /** The keys of the rows to delete; TEMP and dropped at commit or rollback like {@link #STAGING}. */
    static final String DELETE_STAGING = "crmlake_delete_staging";

    private final StructType schema;
    private final List<String> keys;
    private final String target;

    UpsertSql(StructType schema, List<String> keys, String table) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the upsert needs at least one key column");
        }
        List<String> columns = List.of(schema.fieldNames());
        for (String key : keys) {
            if (!columns.contains(key)) {
                throw new IllegalArgumentException("key column " + key + " is not among the rows' columns " + columns);
            }
            if (schema.apply(key).dataType() instanceof ArrayType) {
                throw new IllegalArgumentException("key column " + key + " is an array; keys must be scalar");
            }
        }
        for (StructField f : schema.fields()) {
            PostgresTypes.of(f.dataType()); // refuses unsupported types before any connection is made
        }
        this.schema = schema;
        this.keys = List.copyOf(keys);
        this.target = PostgresTypes.quoteQualified(table);
    }

    /** The target as the rows' schema describes it, keyed by a primary key on the key columns. */
    String createTargetIfMissing() {
        return "CREATE TABLE IF NOT EXISTS " + target + " (" + columnDefinitions() + ")";
    }

    /** No rows, only the target's columns: which of the rows' columns an existing target lacks. */
    String selectNoRows() {
        return "SELECT * FROM " + target + " LIMIT 0";
    }

    /**
     * Adds the rows' columns that the target lacks (a table created by an earlier crmlake), or
     * empty when it has them all; columns of the target's own are left alone.
     */
    java.util.Optional<String> addMissingColumns(java.util.Set<String> present) {
        List<String> added = new ArrayList<>();
        for (StructField f : schema.fields()) {
            if (!present.contains(f.name())) {
                added.add("ADD COLUMN IF NOT EXISTS " + quote(f.name()) + " " + PostgresTypes.of(f.dataType()));
            }
        }
        return added.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of("ALTER TABLE " + target + " " + String.join(", ", added));
    }

    /**
     * The staging table has the same primary key, so a null or duplicated key fails at COPY time
     * with the offending line and value in the message, before the target is touched.
     */
    String createStaging() {
        return "CREATE TEMP TABLE " + STAGING + " (" + columnDefinitions() + ") ON COMMIT DROP";
    }

    String copyIntoStaging() {
        return "COPY " + STAGING + " (" + columnList("") + ") FROM STDIN WITH (FORMAT csv)";
    }

    /**
     * The keys to delete, typed as the rows' key columns. No primary key: a key listed twice is
     * harmless, and a null key matches nothing.
     */
    String createDeleteStaging() {
        List<String> definitions = new ArrayList<>();
        for (String key : keys) {
            definitions.add(quote(key) + " " + PostgresTypes.of(schema.apply(key).dataType()));
        }
        return "CREATE TEMP TABLE " + DELETE_STAGING + " (" + String.join(", ", definitions) + ") ON COMMIT DROP";
    }

    /** The key columns, in this order, are what {@link #copyIntoDeleteStaging()} reads. */
    List<String> keys() {
        return keys;
    }

    String copyIntoDeleteStaging() {
        return "COPY " + DELETE_STAGING + " (" + keyList() + ") FROM STDIN WITH (FORMAT csv)";
    }

    /** Deletes the stored rows whose key is in the delete staging table; a key not stored is skipped. */
    String deleteListedKeys() {
        return "DELETE FROM " + target + " AS t USING " + DELETE_STAGING + " AS d WHERE " + keysEqual("t.", "d.");
    }

    /**
     * Deletes every stored row whose key the rows in the staging table do not hold: after the
     * upsert the target holds exactly the rows' keys (a full export mirrors the table).
     */
    String deleteKeysNotInStaging() {
        return "DELETE FROM " + target + " AS t WHERE NOT EXISTS (SELECT 1 FROM " + STAGING + " AS s WHERE "
                + keysEqual("t.", "s.") + ")";
    }

    /**
     * Inserts new keys and updates a stored row only when one of its values differs (null-safe
     * row comparison), so a re-run of the same rows writes nothing. Only the exported columns are
     * compared, not {@code t.*}: a downstream table may carry columns of its own, and those must
     * neither be overwritten nor make every row look changed. Returns one row: inserted
     * and updated counts ({@code xmax = 0} marks a row version made by an insert, the usual
     * PostgreSQL idiom). Rows are taken in key order so that two runs lock rows in the same order
     * and cannot deadlock each other.
     */
    String upsertFromStaging() {
        List<String> values = nonKeyColumns();
        String onConflict = values.isEmpty()
                ? "DO NOTHING"
                : "DO UPDATE SET " + values.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c))
                        .collect(Collectors.joining(", "))
                  + " WHERE ROW(" + qualified("t.", values) + ") IS DISTINCT FROM ROW(" + qualified("EXCLUDED.", values) + ")";
        return "WITH upserted AS ("
                + "INSERT INTO " + target + " AS t (" + columnList("") + ")"
                + " SELECT " + columnList("") + " FROM " + STAGING + " ORDER BY " + keyList()
                + " ON CONFLICT (" + keyList() + ") " + onConflict
                + " RETURNING (t.xmax = 0) AS inserted)"
                + " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted";
    }

    private String keysEqual(String left, String right) {
        return keys.stream().map(k -> left + quote(k) + " = " + right + quote(k)).collect(Collectors.joining(" AND "));
    }

    private String columnDefinitions() {
        List<String> definitions = new ArrayList<>();
        for (StructField f : schema.fields()) {
            definitions.add(quote(f.name()) + " " + PostgresTypes.of(f.dataType()));
        }
        definitions.add("PRIMARY KEY (" + keyList() + ")");
        return String.join(", ", definitions);
    }

    private List<String> nonKeyColumns() {
        List<String> columns = new ArrayList<>();
        for (String name : schema.fieldNames()) {
            if (!keys.contains(name)) {
                columns.add(name);
            }
        }
        return columns;
    }

    private String columnList(String prefix) {
        return qualified(prefix, List.of(schema.fieldNames()));
    }

    private String keyList() {
        return qualified("", keys);
    }

    private static String qualified(String prefix, List<String> columns) {
        return columns.stream().map(c -> prefix + quote(c)).collect(Collectors.joining(", "));
    }
}
