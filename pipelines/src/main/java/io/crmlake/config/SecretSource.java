package io.crmlake.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import io.crmlake.config.ConfigError;

/**
 * Where the database password comes from. It is read only when a connection is opened, so it
 * never sits in a configuration object, and it never comes from committed configuration: the
 * configuration names an environment variable or a secrets file (as Kubernetes and Docker
 * secrets mount them), not the password itself. {@link #toString()} says where the password
 * comes from, never what it is.
 */
@FunctionalInterface
public interface PasswordSource extends Supplier<String> {

    /** The password; a {@link ConfigError} naming the variable or file when it cannot be had. */
    @Override
    String get();

    /** Where the password comes from, safe to print. */
    default String describe() {
        return "supplied by the caller";
    }

    /** The value of an environment variable of this process. */
    static PasswordSource fromEnvironment(String variable) {
        return fromEnvironment(variable, System.getenv());
    }

    /** The value of {@code variable} in {@code environment} (tests pass their own map). */
    static PasswordSource fromEnvironment(String variable, Map<String, String> environment) {
        if (variable == null || variable.isBlank()) {
            throw new ConfigError("the name of the password's environment variable is empty");
        }
        return new PasswordSource() {
            @Override
            public String get() {
                String value = environment.get(variable);
                if (value == null || value.isEmpty()) {
                    throw new ConfigError("environment variable " + variable
                            + " is not set: it must hold the database password");
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
    static PasswordSource fromFile(Path file) {
        return new PasswordSource() {
            @Override
            public String get() {
                String value;
                try {
                    value = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    // The exception's message is only the path and the reason, never content.
                    throw new ConfigError("cannot read the database password file " + file + ": " + e, e);
                }
                value = value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                        : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
                if (value.isEmpty()) {
                    throw new ConfigError("the database password file " + file + " is empty");
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
