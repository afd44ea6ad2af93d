package io.crmlake.config;

/**
 * A configuration problem a user can fix: the message names the key or file at fault. The command
 * line adds the generic remedy (fix the configuration, run again) unless the throw site gave a more
 * precise one with {@link #ConfigError(String, String)}.
 */
public class ConfigError extends RuntimeException {
    private final boolean saysWhatToDo;

    public ConfigError(String message) {
        super(message);
        this.saysWhatToDo = false;
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
        this.saysWhatToDo = false;
    }

    /** A problem and what to do about it, shown as {@code problem; action}. */
    public ConfigError(String problem, String action) {
        super(problem + "; " + action);
        this.saysWhatToDo = true;
    }

    /** Whether the message already ends with what to do, so that no generic remedy is added. */
    public boolean saysWhatToDo() {
        return saysWhatToDo;
    }
}
