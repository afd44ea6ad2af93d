package io.crmlake.publish;

/**
 * The JDBC export failed and committed nothing. The message names the table, the URL and the
 * user (never the password), says how many attempts were made and what to do.
 */
public class JdbcExportException extends RuntimeException {
    private final boolean transientFailure;

    JdbcExportException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** True when the cause was one a later run may not meet (server down, connection lost). */
    public boolean isTransient() {
        return transientFailure;
    }
}
