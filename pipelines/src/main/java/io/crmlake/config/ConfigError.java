package io.crmlake.config;

/** A configuration problem a user can fix: the message names the key or file at fault. */
public class ConfigError extends RuntimeException {
    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
