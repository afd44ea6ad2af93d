package io.crmlake.publish;

import static org.apache.spark.sql.functions.col;

import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;

import io.crmlake.config.ConfigError;
import io.crmlake.scores.CustomerScores;

/**
 * How the file exports name the columns of gold.customer_scores for a target CRM: which columns,
 * in which order, under which field names, and how a list (recommended_products) is written into
 * one CSV field. The canonical mapping exports every column under its own name. Mappings are
 * HOCON files: the shipped ones live in conf/exports/ (and in the jar).
 *
 * @param name          the mapping's name, for messages
 * @param fields        gold.customer_scores column → export field name, in export order
 * @param listSeparator joins the elements of an array column in CSV
 */
public record ExportMapping(String name, Map<String, String> fields, String listSeparator) {
    public static final String CANONICAL = "canonical";

    public ExportMapping {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Every column of gold.customer_scores under its own name; lists joined with ';'. */
    public static ExportMapping canonical() {
        Map<String, String> identity = new LinkedHashMap<>();
        for (StructField f : CustomerScores.SCHEMA.fields()) {
            identity.put(f.name(), f.name());
        }
        return new ExportMapping(CANONICAL, identity, ";");
    }

    /**
     * A mapping by name (shipped in conf/exports/, packed in the jar; empty or "canonical" for
     * the canonical one) or by path to a .conf file.
     */
    public static ExportMapping load(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank() || nameOrPath.equals(CANONICAL)) {
            return canonical();
        }
        Config c;
        if (nameOrPath.endsWith(".conf") || nameOrPath.contains("/")) {
            File file = new File(nameOrPath);
            if (!file.isFile()) {
                throw new ConfigError("crmlake.publish.files.mapping: mapping file not found: " + nameOrPath);
            }
            c = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        } else {
            String resource = "crmlake/exports/" + nameOrPath + ".conf";
            if (ExportMapping.class.getClassLoader().getResource(resource) == null) {
                throw new ConfigError("crmlake.publish.files.mapping: no export mapping named '" + nameOrPath
                        + "' (shipped: canonical, salesforce, hubspot; or give a path to a .conf file)");
            }
            c = ConfigFactory.parseResources(ExportMapping.class.getClassLoader(), resource);
        }
        try {
            return fromConfig(c.resolve(), nameOrPath);
        } catch (ConfigException e) {
            throw new ConfigError("export mapping " + nameOrPath + ": " + e.getMessage(), e);
        }
    }

    static ExportMapping fromConfig(Config c, String origin) {
        List<String> columns = List.of(CustomerScores.SCHEMA.fieldNames());
        Map<String, String> fields = new LinkedHashMap<>();
        Set<String> targets = new HashSet<>();
        // entrySet of a HOCON object loses the file's order; the origin line numbers restore it.
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(c.getObject("fields").entrySet());
        entries.sort(java.util.Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
        for (Map.Entry<String, ConfigValue> e : entries) {
            String column = e.getKey();
            if (!columns.contains(column)) {
                throw new ConfigError("export mapping " + origin + ": fields." + column
                        + " is not a column of gold.customer_scores " + columns);
            }
            String target = c.getString("fields." + column);
            if (target.isBlank() || !targets.add(target)) {
                throw new ConfigError("export mapping " + origin + ": fields." + column + " = '" + target
                        + "' is blank or used twice");
            }
            fields.put(column, target);
        }
        if (!fields.containsKey("customer_id")) {
            throw new ConfigError("export mapping " + origin + ": fields.customer_id is required: it is the key "
                    + "the target CRM matches rows on");
        }
        String name = c.hasPath("name") ? c.getString("name") : origin;
        return new ExportMapping(name, fields, c.hasPath("list-separator") ? c.getString("list-separator") : ";");
    }

    /** The field name of customer_id (every mapping has one): also the column of the deletions file. */
    public String customerIdField() {
        return fields.get("customer_id");
    }

    /** The mapped columns of gold.customer_scores rows, renamed and in export order; types unchanged. */
    public Dataset<Row> apply(Dataset<Row> scores) {
        List<Column> out = new ArrayList<>();
        fields.forEach((column, target) -> out.add(col(column).as(target)));
        return scores.select(out.toArray(Column[]::new));
    }
}
