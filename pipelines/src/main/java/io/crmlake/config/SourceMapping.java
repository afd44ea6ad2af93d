package io.crmlake.config;

import java.io.File;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import io.crmlake.clean.DateTimes;
import io.crmlake.schema.Entity;
import io.crmlake.schema.InvoiceLine;

/**
 * How one CRM's export dialect maps onto the canonical entities: folder and column names, CSV
 * options, date and timestamp patterns and the time zone of local times, boolean spellings, value
 * codes and defaults for empty columns. Ingest uses the names (bronze keeps the delivered values
 * under canonical column names); clean uses the rest. A flat source ({@link #invoiceLines()}) lands
 * one file of invoice lines from which ingest derives the entities. Mappings are HOCON files: the
 * shipped ones live in conf/sources/ (and in the jar).
 */
public record SourceMapping(
        String name,
        String delimiter,
        String quote,
        String escape,
        String encoding,
        List<String> dateFormats,
        List<String> timestampFormats,
        ZoneId timeZone,
        List<String> trueValues,
        List<String> falseValues,
        Map<Entity, EntityMapping> entities,
        Optional<InvoiceLines> invoiceLines) {

    /**
     * Folder, column names, value codes and defaults of one entity in this dialect. {@code defaults}
     * holds the mapping's own; {@link #defaultValue} adds the canonical contract's (a product's
     * category is "unknown" unless the mapping says otherwise).
     */
    public record EntityMapping(Entity entity, String folder, Map<String, String> sourceColumns,
                                Map<String, Map<String, String>> values, Map<String, String> defaults) {
        /** Name of the canonical column in the export. */
        public String sourceColumn(String canonical) {
            return sourceColumns.getOrDefault(canonical, canonical);
        }

        /** Source value → canonical value for one canonical column; empty when values pass as they are. */
        public Map<String, String> valueCodes(String canonical) {
            return values.getOrDefault(canonical, Collections.emptyMap());
        }

        /** The value an empty or missing column takes: the mapping's default, else the contract's; empty for none. */
        public Optional<String> defaultValue(String canonical) {
            return Optional.ofNullable(defaults.getOrDefault(canonical, entity.column(canonical).defaultValue()));
        }
    }

    /**
     * A flat export of invoice lines ({@link InvoiceLine}): its landing folder, its column names and
     * the prefix of a credit note's invoice number.
     */
    public record InvoiceLines(String folder, Map<String, String> sourceColumns, String cancellationPrefix) {
        /** Name of the canonical invoice-line column in the export. */
        public String sourceColumn(String canonical) {
            return sourceColumns.getOrDefault(canonical, canonical);
        }
    }

    public EntityMapping entity(Entity e) {
        return entities.get(e);
    }

    /** How this dialect writes dates and timestamps. */
    public DateTimes dateTimes() {
        return new DateTimes(dateFormats, timestampFormats, timeZone);
    }

    /**
     * Loads a mapping by name (a file shipped in conf/sources/, packed in the jar) or by path to
     * a .conf file.
     */
    public static SourceMapping load(String nameOrPath) {
        Config c;
        File file = new File(nameOrPath);
        if (nameOrPath.endsWith(".conf") || nameOrPath.contains("/")) {
            if (!file.isFile()) {
                throw new ConfigError("crmlake.source: mapping file not found: " + nameOrPath);
            }
            c = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        } else {
            String resource = "crmlake/sources/" + nameOrPath + ".conf";
            if (SourceMapping.class.getClassLoader().getResource(resource) == null) {
                throw new ConfigError("crmlake.source: no source mapping named '" + nameOrPath
                        + "' (shipped: canonical, salesforce, invoice-lines; or give a path to a .conf file)");
            }
            c = ConfigFactory.parseResources(SourceMapping.class.getClassLoader(), resource);
        }
        try {
            return fromConfig(c.resolve(), nameOrPath);
        } catch (ConfigException e) {
            throw new ConfigError("source mapping " + nameOrPath + ": " + e.getMessage(), e);
        }
    }

    static SourceMapping fromConfig(Config c, String origin) {
        Map<Entity, EntityMapping> entities = new EnumMap<>(Entity.class);
        Config ents = c.hasPath("entities") ? c.getConfig("entities") : ConfigFactory.empty();
        for (String key : ents.root().keySet()) {
            try {
                Entity.fromName(key);
            } catch (IllegalArgumentException e) {
                throw new ConfigError("source mapping " + origin + ": entities." + key + ": " + e.getMessage());
            }
        }
        for (Entity e : Entity.values()) {
            Config ec = ents.hasPath(e.tableName()) ? ents.getConfig(e.tableName()) : ConfigFactory.empty();
            Map<String, String> columns = columnNames(ec, e.columnNames(), origin, "entities." + e.tableName(), e.tableName());
            Map<String, Map<String, String>> values = new LinkedHashMap<>();
            if (ec.hasPath("values")) {
                for (String canonical : ec.getConfig("values").root().keySet()) {
                    Map<String, String> codes = new LinkedHashMap<>();
                    ec.getConfig("values").getObject(canonical).unwrapped()
                            .forEach((k, v) -> codes.put(k, String.valueOf(v)));
                    values.put(canonical, codes);
                }
            }
            Map<String, String> defaults = new LinkedHashMap<>();
            if (ec.hasPath("defaults")) {
                for (Map.Entry<String, Object> d : ec.getObject("defaults").unwrapped().entrySet()) {
                    if (!e.columnNames().contains(d.getKey())) {
                        throw new ConfigError("source mapping " + origin + ": entities." + e.tableName() + ".defaults."
                                + d.getKey() + " is not a column of " + e.tableName() + " " + e.columnNames());
                    }
                    defaults.put(d.getKey(), String.valueOf(d.getValue()));
                }
            }
            String folder = ec.hasPath("folder") ? ec.getString("folder") : e.tableName();
            entities.put(e, new EntityMapping(e, folder, columns, values, defaults));
        }
        return new SourceMapping(
                c.hasPath("name") ? c.getString("name") : origin,
                string(c, "csv.delimiter", ","),
                string(c, "csv.quote", "\""),
                string(c, "csv.escape", "\""),
                string(c, "csv.encoding", "UTF-8"),
                list(c, "date-formats", List.of("yyyy-MM-dd")),
                list(c, "timestamp-formats", List.of("yyyy-MM-dd HH:mm:ss")),
                zone(c, origin),
                lower(list(c, "true-values", List.of("true"))),
                lower(list(c, "false-values", List.of("false"))),
                entities,
                invoiceLines(c, origin));
    }

    /** The invoice-lines block of a flat source; empty for a source that lands the entities. */
    private static Optional<InvoiceLines> invoiceLines(Config c, String origin) {
        if (!c.hasPath("invoice-lines")) {
            return Optional.empty();
        }
        Config il = c.getConfig("invoice-lines");
        return Optional.of(new InvoiceLines(
                il.hasPath("folder") ? il.getString("folder") : InvoiceLine.TABLE,
                columnNames(il, InvoiceLine.columnNames(), origin, "invoice-lines", InvoiceLine.TABLE),
                il.hasPath("cancellation-prefix") ? il.getString("cancellation-prefix") : "C"));
    }

    /** {@code columns { canonical = "Source name" }} of a block, every key a canonical column. */
    private static Map<String, String> columnNames(Config block, List<String> canonicalColumns, String origin,
            String where, String table) {
        Map<String, String> columns = new LinkedHashMap<>();
        if (block.hasPath("columns")) {
            for (String canonical : block.getConfig("columns").root().keySet()) {
                if (!canonicalColumns.contains(canonical)) {
                    throw new ConfigError("source mapping " + origin + ": " + where + ".columns." + canonical
                            + " is not a column of " + table + " " + canonicalColumns);
                }
                columns.put(canonical, block.getString("columns." + canonical));
            }
        }
        return columns;
    }

    private static ZoneId zone(Config c, String origin) {
        String id = string(c, "time-zone", "UTC");
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new ConfigError("source mapping " + origin + ": time-zone '" + id + "' is not a time zone"
                    + " (use a region such as Europe/Berlin, or an offset such as +01:00)");
        }
    }

    private static String string(Config c, String path, String fallback) {
        return c.hasPath(path) ? c.getString(path) : fallback;
    }

    private static List<String> list(Config c, String path, List<String> fallback) {
        return c.hasPath(path) ? List.copyOf(c.getStringList(path)) : fallback;
    }

    private static List<String> lower(List<String> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.toLowerCase(Locale.ROOT)));
        return out;
    }
}
