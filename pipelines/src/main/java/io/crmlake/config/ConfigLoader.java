package io.crmlake.config;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;

/**
 * Loads crmlake's HOCON configuration: the defaults packed in the jar
 * ({@code crmlake/application.conf}, a copy of conf/application.conf), overridden by a user file,
 * overridden by {@code --set key=value} pairs. Fails fast on unknown keys and wrong types, naming
 * the key, because a typo in a nightly job's config should stop it rather than be ignored.
 */
public final class ConfigLoader {
    /** Subtrees whose keys are free-form (Spark settings, per-entity maps). */
    private static final Set<String> OPEN_SECTIONS = Set.of(
            "crmlake.spark.conf", "crmlake.clean.max-quarantine-share-by-entity");

    private ConfigLoader() {}

    public static Settings load(Optional<Path> userFile, List<String> overrides) {
        Config defaults = defaults();
        Config user = userFile.map(ConfigLoader::parseUserFile).orElse(ConfigFactory.empty());
        Config cli = parseOverrides(overrides);
        rejectUnknownKeys(user, defaults, userFile.map(Path::toString).orElse("configuration"));
        rejectUnknownKeys(cli, defaults, "--set");
        Config merged;
        try {
            merged = cli.withFallback(user).withFallback(defaults).resolve();
            merged.checkValid(defaults, "crmlake");
        } catch (ConfigException.ValidationFailed e) {
            List<String> problems = new ArrayList<>();
            e.problems().forEach(p -> problems.add(p.path() + ": " + p.problem()));
            throw new ConfigError("invalid configuration: " + String.join("; ", problems), e);
        } catch (ConfigException e) {
            throw new ConfigError("invalid configuration: " + e.getMessage(), e);
        }
        return Settings.from(merged);
    }

    /** The packed defaults; also what {@code conf/application.conf} documents. */
    public static Config defaults() {
        Config defaults = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(),
                "crmlake/application.conf", ConfigParseOptions.defaults().setAllowMissing(false));
        return defaults.resolve();
    }

    private static Config parseUserFile(Path file) {
        File f = file.toFile();
        if (!f.isFile()) {
            throw new ConfigError("configuration file not found: " + file + " (given with --conf)",
                    "give an existing file with --conf, or leave --conf out for conf/local.conf (the defaults are in conf/application.conf)");
        }
        try {
            return ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigError("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Config parseOverrides(List<String> overrides) {
        Map<String, Object> values = new HashMap<>();
        for (String pair : overrides) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigError("--set expects key=value, got '" + pair + "'",
                        "write it as --set KEY=VALUE, e.g. --set warehouse=/tmp/w");
            }
            String key = pair.substring(0, eq).trim();
            if (!key.startsWith("crmlake.")) {
                key = "crmlake." + key;
            }
            values.put(key, pair.substring(eq + 1).trim());
        }
        try {
            return ConfigFactory.parseMap(values, "--set");
        } catch (ConfigException e) {
            throw new ConfigError("bad --set key: " + e.getMessage(), e);
        }
    }

    private static void rejectUnknownKeys(Config given, Config defaults, String origin) {
        for (Map.Entry<String, ConfigValue> entry : given.entrySet()) {
            String path = entry.getKey();
            if (isUnderOpenSection(path)) {
                continue;
            }
            if (!defaults.hasPathOrNull(path)) {
                throw new ConfigError("unknown configuration key '" + path + "' in " + origin,
                        "check its spelling: every known key is listed in conf/application.conf");
            }
        }
    }

    private static boolean isUnderOpenSection(String path) {
        for (String open : OPEN_SECTIONS) {
            if (path.startsWith(open + ".")) {
                return true;
            }
        }
        return false;
    }
}
