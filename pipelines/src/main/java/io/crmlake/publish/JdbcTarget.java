package io.crmlake.publish;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import io.crmlake.config.ConfigError;
import io.crmlake.config.SecretSource;

/**
 * Where and how {@link JdbcUpsert} writes: a PostgreSQL JDBC URL, the target table (optionally
 * schema-qualified, {@code crm.customer_scores}; created when missing), the user, the password's
 * source, the rows sent to the server per COPY message, and the retry budget for failures that a
 * later attempt may not meet (the server down or restarting, a dropped connection, a deadlock).
 *
 * <p>The password is never part of the URL nor of this record's {@link #toString()}: the URL is
 * refused when it carries a {@code password} parameter, so the URL can be printed in messages.
 *
 * @param batchSize      rows encoded and sent to the server in one COPY message
 * @param maxAttempts    attempts in all (1 = no retry)
 * @param initialBackoff pause after the first failed attempt; doubled after each further one
 *                       (capped at {@link #MAX_BACKOFF})
 */
public record JdbcTarget(String url, String table, String user, SecretSource password, int batchSize,
                         int maxAttempts, Duration initialBackoff) {

    public static final int DEFAULT_BATCH_SIZE = 5_000;
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(2);
    /** The longest pause between two attempts, however many there are. */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private static final String PASSWORD = "the database password";
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("[?&;]password=", Pattern.CASE_INSENSITIVE);
    /** user:password@host, which pgjdbc does not read but a hand-written URL may still hold. */
    private static final Pattern USER_INFO_IN_URL = Pattern.compile("^jdbc:postgresql://[^/?]*@");

    public JdbcTarget {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            // Only the prefix is shown: whatever follows it may be secret.
            throw new ConfigError("the JDBC URL must start with jdbc:postgresql: (PostgreSQL is the supported target), got '"
                    + (url == null ? "" : url.substring(0, Math.min(url.length(), 16))) + "...'");
        }
        if (PASSWORD_IN_URL.matcher(url).find() || USER_INFO_IN_URL.matcher(url).find()) {
            throw new ConfigError("the JDBC URL must not carry the password", "remove it from the URL and name an "
                    + "environment variable (password-env) or a secrets file (password-file) instead");
        }
        if (table == null || table.isBlank()) {
            throw new ConfigError("the JDBC target table is empty");
        }
        if (user == null || user.isBlank()) {
            throw new ConfigError("the JDBC user is empty");
        }
        if (password == null) {
            throw new ConfigError("no source for the JDBC password", "set password-env or password-file");
        }
        if (batchSize < 1) {
            throw new ConfigError("the JDBC batch size must be at least 1, got " + batchSize);
        }
        if (maxAttempts < 1) {
            throw new ConfigError("the JDBC max attempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative()) {
            throw new ConfigError("the JDBC initial backoff must be zero or more, got " + initialBackoff);
        }
    }

    /** A target with the default batch size and retries. */
    public static JdbcTarget of(String url, String table, String user, SecretSource password) {
        return new JdbcTarget(url, table, user, password, DEFAULT_BATCH_SIZE, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_INITIAL_BACKOFF);
    }

    public JdbcTarget withBatchSize(int rows) {
        return new JdbcTarget(url, table, user, password, rows, maxAttempts, initialBackoff);
    }

    public JdbcTarget withRetries(int attempts, Duration firstBackoff) {
        return new JdbcTarget(url, table, user, password, batchSize, attempts, firstBackoff);
    }

    /**
     * A target from a configuration block such as
     * <pre>
     * jdbc {
     *   url = "jdbc:postgresql://crm-db:5432/crm"
     *   table = "crm.customer_scores"
     *   user = "crmlake"
     *   password-env = "CRMLAKE_JDBC_PASSWORD"     # or: password-file = "/run/secrets/crm-db"
     *   batch-size = 5000                          # optional
     *   max-attempts = 4                           # optional
     *   initial-backoff = 2s                       # optional
     * }
     * </pre>
     * Exactly one of {@code password-env} and {@code password-file} must be set (to a non-empty
     * value). {@code environment} is normally {@code System.getenv()}.
     */
    public static JdbcTarget fromConfig(Config jdbc, Map<String, String> environment) {
        try {
            String passwordEnv = optional(jdbc, "password-env");
            String passwordFile = optional(jdbc, "password-file");
            if ((passwordEnv == null) == (passwordFile == null)) {
                throw new ConfigError("the JDBC export names " + (passwordEnv == null ? "neither" : "both") + " of "
                        + "password-env and password-file", "set exactly one of password-env (the name of an environment "
                        + "variable) and password-file (the path of a secrets file) in crmlake.publish.jdbc");
            }
            SecretSource password = passwordEnv != null
                    ? SecretSource.fromEnvironment(passwordEnv, environment, PASSWORD)
                    : SecretSource.fromFile(Path.of(passwordFile), PASSWORD);
            return new JdbcTarget(jdbc.getString("url"), jdbc.getString("table"), jdbc.getString("user"), password,
                    jdbc.hasPath("batch-size") ? jdbc.getInt("batch-size") : DEFAULT_BATCH_SIZE,
                    jdbc.hasPath("max-attempts") ? jdbc.getInt("max-attempts") : DEFAULT_MAX_ATTEMPTS,
                    jdbc.hasPath("initial-backoff") ? jdbc.getDuration("initial-backoff") : DEFAULT_INITIAL_BACKOFF);
        } catch (ConfigException e) {
            throw new ConfigError("invalid JDBC export configuration: " + e.getMessage(), e);
        }
    }

    private static String optional(Config c, String key) {
        return c.hasPath(key) && !c.getString(key).isBlank() ? c.getString(key) : null;
    }

    /** The pause after failed attempt {@code attempt} (1-based): doubling, capped. */
    Duration backoffAfter(int attempt) {
        Duration pause = initialBackoff;
        for (int i = 1; i < attempt && pause.compareTo(MAX_BACKOFF) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : pause;
    }

    /** Names the target in messages: table, URL and user; no password. */
    public String describe() {
        return "table " + table + " at " + url + " (user " + user + ")";
    }

    @Override
    public String toString() {
        return "JdbcTarget[url=" + url + ", table=" + table + ", user=" + user + ", password=" + password.describe()
                + ", batchSize=" + batchSize + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + "]";
    }
}
