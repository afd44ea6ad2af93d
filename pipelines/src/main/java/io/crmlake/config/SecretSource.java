package io.crmlake.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a secret (the database password, the salt of the email match key) comes from. It is read
 * only when needed, so it never sits in a configuration object, and it never comes from committed
 * configuration: the configuration names an environment variable or a secrets file (as Kubernetes
 * and Docker secrets mount them), not the secret itself. {@link #toString()} and every message say
 * where the secret comes from, never what it is.
 */
@FunctionalInterface
public interface SecretSource extends Supplier<String> {

    /** The secret; a {@link ConfigError} naming the variable or file when it cannot be had. */
    @Override
    String get();

    /** Where the secret comes from, safe to print. */
    default String describe() {
        return "supplied by the caller";
    }

    /** The value of an environment variable of this process. */
    static SecretSource fromEnvironment(String variable, String what) {
        return fromEnvironment(variable, System.getenv(), what);
    }

    /**
     * The value of {@code variable} in {@code environment} (tests pass their own map); {@code what}
     * names the secret in messages, e.g. "the database password".
     */
    static SecretSource fromEnvironment(String variable, Map<String, String> environment, String what) {
        if (variable == null || variable.isBlank()) {
            throw new ConfigError("the name of the environment variable of " + what + " is empty");
        }
        return new SecretSource() {
            @Override
            public String get() {
                String value = environment.get(variable);
                if (value == null || value.isEmpty()) {
                    throw new ConfigError("environment variable " + variable + " is not set: it must hold " + what,
                            "set it in the job's environment (or name another variable in the configuration)");
                }
                return value;
            }

            @Override
            public String describe() {
                return "environment variable " + variable;
            }

            @Override
            public String toString() {
                return describe();
            }
        };
    }

    /** The content of a secrets file, without a trailing line break. */
    static SecretSource fromFile(Path file, String what) {
        return new SecretSource() {
            @Override
            public String get() {
                String value;
                try {
                    value = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    // The exception's message is only the path and the reason, never content.
                    throw new ConfigError("cannot read the file of " + what + " " + file + ": " + e, e);
                }
                value = value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                        : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
                if (value.isEmpty()) {
                    throw new ConfigError("the file of " + what + " " + file + " is empty",
                            "write the secret into it (or name another file in the configuration)");
                }
                return value;
            }

            @Override
            public String describe() {
                return "file " + file;
            }

            @Override
            public String toString() {
                return describe();
            }
        };
    }
}
