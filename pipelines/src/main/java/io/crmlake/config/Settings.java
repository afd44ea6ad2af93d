package io.crmlake.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import io.crmlake.schema.Entity;

/** The validated settings a job runs with; built only by {@link ConfigLoader}. */
public record Settings(
        String landing,
        String warehouse,
        String exports,
        String source,
        Spark spark,
        Ingest ingest,
        Clean clean,
        Features features,
        Config raw) {

    public record Spark(String master, int shufflePartitions, Map<String, String> conf) {}

    public record Ingest(String successMarker, boolean allowMissingMarker, boolean allowMissingEntity) {}

    public record Clean(double maxQuarantineShare, Map<String, Double> maxQuarantineShareByEntity,
                        String defaultCountry) {
        /** The quality-gate threshold of one entity. */
        public double maxQuarantineShare(Entity entity) {
            return maxQuarantineShareByEntity.getOrDefault(entity.tableName(), maxQuarantineShare);
        }
    }

    public record Features(int recentDays) {}

    static Settings from(Config c) {
        try {
            Config s = c.getConfig("crmlake");
            return new Settings(
                    nonBlank(s, "landing"),
                    nonBlank(s, "warehouse"),
                    nonBlank(s, "exports"),
                    nonBlank(s, "source"),
                    new Spark(s.getString("spark.master"),
                            positive(s, "spark.shuffle-partitions"),
                            stringMap(s.getConfig("spark.conf"))),
                    new Ingest(nonBlank(s, "ingest.success-marker"),
                            s.getBoolean("ingest.allow-missing-marker"),
                            s.getBoolean("ingest.allow-missing-entity")),
                    new Clean(share(s, "clean.max-quarantine-share"),
                            shareMap(s, "clean.max-quarantine-share-by-entity"),
                            countryCode(s, "clean.default-country")),
                    new Features(positive(s, "features.recent-days")),
                    c);
        } catch (ConfigException e) {
            throw new ConfigError("invalid configuration: " + e.getMessage(), e);
        }
    }

    private static String nonBlank(Config s, String key) {
        String value = s.getString(key);
        if (value.isBlank()) {
            throw new ConfigError("crmlake." + key + " must not be empty");
        }
        return value;
    }

    private static int positive(Config s, String key) {
        int value = s.getInt(key);
        if (value <= 0) {
            throw new ConfigError("crmlake." + key + " must be positive, got " + value);
        }
        return value;
    }

    private static double share(Config s, String key) {
        double value = s.getDouble(key);
        if (value < 0 || value > 1) {
            throw new ConfigError("crmlake." + key + " must be between 0 and 1, got " + value);
        }
        return value;
    }

    private static Map<String, Double> shareMap(Config s, String key) {
        Map<String, Double> shares = new TreeMap<>();
        for (String entity : s.getConfig(key).root().keySet()) {
            try {
                Entity.fromName(entity);
            } catch (IllegalArgumentException e) {
                throw new ConfigError("crmlake." + key + "." + entity + ": " + e.getMessage());
            }
            shares.put(entity, share(s, key + ".\"" + entity + "\""));
        }
        return shares;
    }

    private static String countryCode(Config s, String key) {
        String value = s.getString(key);
        if (!value.matches("[A-Z]{2}")) {
            throw new ConfigError("crmlake." + key + " must be an ISO 3166-1 alpha-2 code such as US, got '" + value + "'");
        }
        return value;
    }

    private static Map<String, String> stringMap(Config section) {
        Map<String, String> values = new LinkedHashMap<>();
        section.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> values.put(unquote(e.getKey()), String.valueOf(e.getValue().unwrapped())));
        return values;
    }

    private static String unquote(String key) {
        return key.replace("\"", "");
    }
}
