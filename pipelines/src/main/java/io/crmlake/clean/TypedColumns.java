package io.crmlake.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

import io.crmlake.config.SourceMapping;
import io.crmlake.schema.Entity;

/**
 * How each canonical column is read from its delivered string: by its silver type, with the
 * normalisations DESIGN.md asks for (emails, phones with country code, ISO countries, codes in
 * lower case). Raw values are first translated through the dialect's value codes.
 */
final class TypedColumns {
    /** Code-like text columns: compared case-insensitively, stored lower-case. */
    private static final java.util.Set<String> CODES = java.util.Set.of(
            "status", "event_type", "channel", "priority");

    private final Entity entity;
    private final SourceMapping mapping;
    private final String defaultCountry;

    TypedColumns(Entity entity, SourceMapping mapping, String defaultCountry) {
        this.entity = entity;
        this.mapping = mapping;
        this.defaultCountry = defaultCountry;
    }

    /** The delivered value of a canonical column after value-code translation. */
    Column raw(String name) {
        return Normalize.translate(col(name), mapping.entity(entity).valueCodes(name));
    }

    /** The typed, normalised value of a canonical column. */
    Column typed(Entity.Column c) {
        String name = c.name();
        Column raw = raw(name);
        switch (name) {
            case "email":
                return Normalize.email(raw);
            case "phone":
                return Normalize.phone(raw, coalesce(Normalize.country(raw("country")), lit(defaultCountry)));
            case "country":
                return Normalize.country(raw);
            case "gender":
                return Normalize.gender(raw);
            case "currency":
                return upper(Normalize.text(raw));
            case "satisfaction":
                // A 1-5 score; anything else reads as "not rated" (and is counted as a warning).
                Column score = Normalize.integer(raw);
                return when(score.between(1, 5), score);
            default:
                break;
        }
        if (CODES.contains(name)) {
            return Normalize.code(raw, java.util.Map.of());
        }
        if (c.type().equals(DataTypes.DateType)) {
            return Normalize.date(raw, mapping.dateFormats(), mapping.timestampFormats());
        }
        if (c.type().equals(DataTypes.TimestampType)) {
            return Normalize.timestamp(raw, mapping.timestampFormats());
        }
        if (c.type().equals(DataTypes.BooleanType)) {
            return Normalize.bool(raw, mapping.trueValues(), mapping.falseValues());
        }
        if (c.type().equals(DataTypes.IntegerType)) {
            return Normalize.integer(raw);
        }
        if (c.type() instanceof DecimalType d) {
            return Normalize.decimal(raw, d);
        }
        return Normalize.text(raw);
    }
}
