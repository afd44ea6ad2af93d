package io.crmlake.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.crmlake.config.ConfigLoader;
import io.crmlake.config.Settings;
import picocli.CommandLine.Option;

/** --conf and --set, shared by every command that reads the configuration. */
public class ConfigOptions {
    @Option(names = "--conf", paramLabel = "FILE",
            description = "HOCON configuration file. Default: conf/local.conf (in the working folder, else in the crmlake installation).")
    Path conf;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set warehouse=/tmp/w --set clean.max-quarantine-share=0.2 (repeatable).")
    List<String> overrides = new ArrayList<>();

    Settings load() {
        return ConfigLoader.load(configFile(), overrides);
    }

    /** The file given with --conf, else conf/local.conf where crmlake finds it, else none. */
    Optional<Path> configFile() {
        if (conf != null) {
            return Optional.of(conf);
        }
        Path local = Path.of("conf", "local.conf");
        if (Files.isRegularFile(local)) {
            return Optional.of(local);
        }
        String home = System.getProperty("crmlake.home", System.getenv("CRMLAKE_HOME"));
        if (home != null && Files.isRegularFile(Path.of(home, "conf", "local.conf"))) {
            return Optional.of(Path.of(home, "conf", "local.conf"));
        }
        return Optional.empty();
    }
}
