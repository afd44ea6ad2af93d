package io.crmlake.publish;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * PostgreSQL column types for Spark types, used when the target table is created. Spark's
 * timestamp is an instant, so it maps to {@code timestamptz} (a reader in any time zone sees the
 * same moment); arrays map to PostgreSQL arrays ({@code text[]} for {@code recommended_products}).
 * Maps and structs have no faithful column type and are refused.
 */
final class PostgresTypes {
    private PostgresTypes() {}

    static String of(DataType type) {
        if (type instanceof StringType) {
            return "text";
        } else if (type instanceof IntegerType) {
            return "integer";
        } else if (type instanceof LongType) {
            return "bigint";
        } else if (type instanceof ShortType || type instanceof ByteType) {
            return "smallint";
        } else if (type instanceof DoubleType) {
            return "double precision";
        } else if (type instanceof FloatType) {
            return "real";
        } else if (type instanceof DecimalType d) {
            return "numeric(" + d.precision() + "," + d.scale() + ")";
        } else if (type instanceof BooleanType) {
            return "boolean";
        } else if (type instanceof DateType) {
            return "date";
        } else if (type instanceof TimestampType) {
            return "timestamptz";
        } else if (type instanceof TimestampNTZType) {
            return "timestamp";
        } else if (type instanceof BinaryType) {
            return "bytea";
        } else if (type instanceof ArrayType a && !(a.elementType() instanceof ArrayType)) {
            return of(a.elementType()) + "[]";
        }
        throw new IllegalArgumentException("no PostgreSQL column type for Spark type " + type.simpleString()
                + ": convert the column (for example to_json) before the JDBC export");
    }

    /** A quoted identifier; a dotted name ({@code schema.table}) is quoted part by part. */
    static String quoteQualified(String name) {
        String[] parts = name.split("\\.", -1);
        StringBuilder quoted = new StringBuilder();
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("invalid table name '" + name + "'");
            }
            if (quoted.length() > 0) {
                quoted.append('.');
            }
            quoted.append(quote(part));
        }
        return quoted.toString();
    }

    /** A quoted identifier: names are used exactly as given (case included), never as SQL. */
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
