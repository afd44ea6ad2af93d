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
import io.crmlake.schema.Lineage;

/**
 * How each canonical column is read from its delivered string: by its silver type, with the
 * normalisations DESIGN.md asks for (emails, phones with country code, ISO countries, codes in
 * lower case). Raw values are first translated through the dialect's value codes.
 */
final class TypedColumns {
    /** Code-like text columns: compared case-insensitively, stored lower-case. */
    private static final java.util.Set<String> CODES = java.util.Set.of(
            "status", "event_type", "channel", "priority");

    private static final String EARLIEST = "1900-01-01";

    private final Entity entity;
    private final SourceMapping mapping;
    private final String defaultCountry;

    TypedColumns(Entity entity, SourceMapping mapping, String defaultCountry) {
        this.entity = entity;
        this.mapping = mapping;
        this.defaultCountry = defaultCountry;
    }

    /**
     * Null for a date before 1900: in a CRM export that is a placeholder (0001-01-01, a
     * spreadsheet's 1899-12-30), not a fact, so it reads as unreadable.
     */
    private static Column plausible(Column dateOrTime) {
        return when(dateOrTime.geq(lit(EARLIEST).cast(DataTypes.DateType)), dateOrTime);
    }

    /**
     * The delivered value of a canonical column after value-code translation, or the column's
     * default (the source mapping's, else the contract's) when it was delivered empty.
     */
    Column raw(String name) {
        SourceMapping.EntityMapping em = mapping.entity(entity);
        Column translated = Normalize.translate(col(name), em.valueCodes(name));
        return em.defaultValue(name).map(d -> coalesce(Normalize.text(translated), lit(d))).orElse(translated);
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
            Column date = plausible(mapping.dateTimes().date(raw));
            // Nobody is born after the day of the export.
            return name.equals("birth_date") ? when(date.leq(col(Lineage.BATCH_DATE)), date) : date;
        }
        if (c.type().equals(DataTypes.TimestampType)) {
            return plausible(mapping.dateTimes().timestamp(raw));
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
