package io.crmlake.clean;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Column expressions that turn delivered strings into typed, normalised values. Each returns
 * null when the value cannot be read, so that a rule can tell "absent" from "unreadable" by
 * comparing with the trimmed input. Parsing uses Spark's try_ functions: with ANSI mode on (the
 * Spark 4 default) a plain cast would fail the whole job on one bad value.
 */
public final class Normalize {
    /** A pragmatic address check: one @, a dot in the domain, no spaces. */
    static final String EMAIL_PATTERN = "^[a-z0-9._%+'-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}$";

    private static final UserDefinedFunction PHONE = udf(
            (UDF2<String, String, String>) PhoneNumbers::normalise, DataTypes.StringType);

    private Normalize() {}

    /** Trimmed string; empty or blank becomes null. */
    public static Column text(Column raw) {
        Column t = trim(raw);
        return when(length(t).gt(0), t);
    }

    /** Lower-cased, trimmed email when it looks like an address, else null. */
    public static Column email(Column raw) {
        Column e = lower(text(raw));
        return when(e.rlike(EMAIL_PATTERN), e);
    }

    /**
     * Digits-only phone number with its country calling code (E.164 without the "+"), read by
     * libphonenumber with the customer's country as the region for national numbers; null when
     * it cannot be a phone number.
     */
    public static Column phone(Column raw, Column countryIso2) {
        return PHONE.apply(text(raw), countryIso2);
    }

    /** ISO 3166-1 alpha-2 code from a code, an alpha-3 code or an English name; null if unknown. */
    public static Column country(Column raw) {
        Column key = upper(regexp_replace(text(raw), "[.]", ""));
        return element_at(literalMap(Countries.lookup()), key);
    }

    /** Boolean from the dialect's spellings, case-insensitive; null if neither. */
    public static Column bool(Column raw, List<String> trueValues, List<String> falseValues) {
        Column v = lower(text(raw));
        return when(v.isin(trueValues.toArray()), lit(true))
                .when(v.isin(falseValues.toArray()), lit(false));
    }

    /** female, male or other; null when absent or unrecognised. */
    public static Column gender(Column raw) {
        Column v = lower(text(raw));
        return when(v.isin("f", "female", "w", "woman"), lit("female"))
                .when(v.isin("m", "male", "man"), lit("male"))
                .when(v.isin("o", "other", "x", "diverse", "non-binary"), lit("other"));
    }

    /** Decimal of the given precision; null if not a number or out of range. */
    public static Column decimal(Column raw, DecimalType type) {
        return text(raw).try_cast(type);
    }

    /** Integer; "3.0" reads as 3, "3.5" and text as null. */
    public static Column integer(Column raw) {
        Column d = text(raw).try_cast(DataTypes.createDecimalType(18, 4));
        return when(d.equalTo(d.cast(DataTypes.LongType)), d.try_cast(DataTypes.IntegerType));
    }

    /** Lower-cased code after translating the dialect's values; unmapped values pass, lower-cased. */
    public static Column code(Column raw, Map<String, String> valueCodes) {
        Column t = text(raw);
        if (valueCodes.isEmpty()) {
            return lower(t);
        }
        return lower(coalesce(element_at(literalMap(valueCodes), t), t));
    }

    /** Replaces the dialect's values by canonical ones; unmapped values pass as they are. */
    public static Column translate(Column raw, Map<String, String> valueCodes) {
        if (valueCodes.isEmpty()) {
            return raw;
        }
        Column t = trim(raw);
        return coalesce(element_at(literalMap(valueCodes), t), raw);
    }

    /** A map literal, for lookups of small dictionaries inside an expression. */
    static Column literalMap(Map<String, String> entries) {
        List<Column> kv = new ArrayList<>();
        entries.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            kv.add(lit(e.getKey()));
            kv.add(lit(e.getValue()));
        });
        return map(kv.toArray(Column[]::new));
    }
}
