package io.crmlake.config;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import io.crmlake.schema.Entity;

/**
 * How one CRM's export dialect maps onto the canonical entities: folder and column names, CSV
 * options, date and timestamp patterns, boolean spellings and value codes. Ingest uses the names
 * (bronze keeps the delivered values under canonical column names); clean uses the rest.
 * Mappings are HOCON files: the shipped ones live in conf/sources/ (and in the jar).
 */
public record SourceMapping(
        String name,
        String delimiter,
        String quote,
        String escape,
        String encoding,
        List<String> dateFormats,
        List<String> timestampFormats,
        List<String> trueValues,
        List<String> falseValues,
        Map<Entity, EntityMapping> entities) {

    /** Folder, column names and value codes of one entity in this dialect. */
    public record EntityMapping(String folder, Map<String, String> sourceColumns,
                                Map<String, Map<String, String>> values) {
        /** Name of the canonical column in the export. */
        public String sourceColumn(String canonical) {
            return sourceColumns.getOrDefault(canonical, canonical);
        }

        /** Source value → canonical value for one canonical column; empty when values pass as they are. */
        public Map<String, String> valueCodes(String canonical) {
            return values.getOrDefault(canonical, Collections.emptyMap());
        }
    }

    public EntityMapping entity(Entity e) {
        return entities.get(e);
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
                        + "' (shipped: canonical, salesforce; or give a path to a .conf file)");
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
        Config ents = c.getConfig("entities");
        for (String key : ents.root().keySet()) {
            try {
                Entity.fromName(key);
            } catch (IllegalArgumentException e) {
                throw new ConfigError("source mapping " + origin + ": entities." + key + ": " + e.getMessage());
            }
        }
        for (Entity e : Entity.values()) {
            Config ec = ents.hasPath(e.tableName()) ? ents.getConfig(e.tableName()) : ConfigFactory.empty();
            Map<String, String> columns = new LinkedHashMap<>();
            if (ec.hasPath("columns")) {
                for (String canonical : ec.getConfig("columns").root().keySet()) {
                    if (!e.columnNames().contains(canonical)) {
                        throw new ConfigError("source mapping " + origin + ": entities." + e.tableName()
                                + ".columns." + canonical + " is not a column of " + e.tableName()
                                + " " + e.columnNames());
                    }
                    columns.put(canonical, ec.getString("columns." + canonical));
                }
            }
            Map<String, Map<String, String>> values = new LinkedHashMap<>();
            if (ec.hasPath("values")) {
                for (String canonical : ec.getConfig("values").root().keySet()) {
                    Map<String, String> codes = new LinkedHashMap<>();
                    ec.getConfig("values").getObject(canonical).unwrapped()
                            .forEach((k, v) -> codes.put(k, String.valueOf(v)));
                    values.put(canonical, codes);
                }
            }
            String folder = ec.hasPath("folder") ? ec.getString("folder") : e.tableName();
            entities.put(e, new EntityMapping(folder, columns, values));
        }
        return new SourceMapping(
                c.hasPath("name") ? c.getString("name") : origin,
                string(c, "csv.delimiter", ","),
                string(c, "csv.quote", "\""),
                string(c, "csv.escape", "\""),
                string(c, "csv.encoding", "UTF-8"),
                list(c, "date-formats", List.of("yyyy-MM-dd")),
                list(c, "timestamp-formats", List.of("yyyy-MM-dd HH:mm:ss")),
                lower(list(c, "true-values", List.of("true"))),
                lower(list(c, "false-values", List.of("false"))),
                entities);
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
