package io.crmlake.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * crmlake.pii: where the salt of the email match key comes from (see conf/application.conf).
 * A salt file, when named, must be readable; the environment variable may be unset, and then
 * there is no salt and the match key is left empty.
 */
public record PiiSettings(Optional<SecretSource> matchKeySalt, String saltVariable) {
    private static final String SALT = "the salt of the email match key";

    public static PiiSettings of(Settings settings) {
        return of(settings.raw(), System.getenv());
    }

    static PiiSettings of(Config raw, Map<String, String> environment) {
        try {
            Config p = raw.getConfig("crmlake.pii");
            String file = p.getString("match-key-salt-file").strip();
            if (!file.isEmpty()) {
                return new PiiSettings(Optional.of(SecretSource.fromFile(Path.of(file), SALT)), "");
            }
            String variable = p.getString("match-key-salt-env").strip();
            String value = variable.isEmpty() ? null : environment.get(variable);
            return new PiiSettings(value == null || value.isEmpty() ? Optional.empty()
                    : Optional.of(SecretSource.fromEnvironment(variable, environment, SALT)), variable);
        } catch (ConfigException e) {
            throw new ConfigError("invalid configuration: " + e.getMessage(), e);
        }
    }

    /** Where the salt comes from, or why there is none; safe to print. */
    public String describe() {
        return matchKeySalt.map(SecretSource::describe).orElse(saltVariable.isEmpty()
                ? "no salt: crmlake.pii names neither a salt file nor an environment variable"
                : "no salt: environment variable " + saltVariable + " is not set and crmlake.pii.match-key-salt-file is empty");
    }
}
