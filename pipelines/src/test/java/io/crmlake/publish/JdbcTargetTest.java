package io.crmlake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import io.crmlake.config.ConfigError;

/** The export's target settings: where the password may come from, and where it never shows. */
class JdbcTargetTest {
    private static final String URL = "jdbc:postgresql://crm-db:5432/crm";

    private static Config conf(String hocon) {
        return ConfigFactory.parseString(hocon);
    }

    @Test
    void readsThePasswordFromTheEnvironmentVariableTheConfNames() {
        JdbcTarget target = JdbcTarget.fromConfig(conf("url = \"" + URL + "\", table = crm.scores, user = crmlake,"
                + " password-env = CRM_DB_PASSWORD, max-attempts = 2, initial-backoff = 5s"), Map.of("CRM_DB_PASSWORD", "s3cret!"));

        assertThat(target.password().get()).isEqualTo("s3cret!");
        assertThat(target.maxAttempts()).isEqualTo(2);
        assertThat(target.initialBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(target.batchSize()).isEqualTo(JdbcTarget.DEFAULT_BATCH_SIZE);
        assertThat(target.toString()).doesNotContain("s3cret!").contains("environment variable CRM_DB_PASSWORD");
    }

    @Test
    void aMissingVariableIsAConfigErrorNamingIt() {
        JdbcTarget target = JdbcTarget.fromConfig(conf("url = \"" + URL + "\", table = t, user = u, password-env = NOPE"),
                Map.of());

        assertThatThrownBy(() -> target.password().get()).isInstanceOf(ConfigError.class).hasMessageContaining("NOPE");
    }

    @Test
    void readsThePasswordFromASecretsFileWithoutItsLineBreak(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("db-password"), "from-file\n");

        JdbcTarget target = JdbcTarget.fromConfig(conf("url = \"" + URL + "\", table = t, user = u, password-file = \""
                + secret + "\""), Map.of());

        assertThat(target.password().get()).isEqualTo("from-file");
        assertThat(target.toString()).doesNotContain("from-file");
    }

    @Test
    void wantsExactlyOnePasswordSource() {
        assertThatThrownBy(() -> JdbcTarget.fromConfig(conf("url = \"" + URL + "\", table = t, user = u"), Map.of()))
                .isInstanceOf(ConfigError.class).hasMessageContaining("password-env");
        assertThatThrownBy(() -> JdbcTarget.fromConfig(conf("url = \"" + URL + "\", table = t, user = u,"
                + " password-env = A, password-file = /b"), Map.of()))
                .isInstanceOf(ConfigError.class).hasMessageContaining("exactly one");
    }

    @Test
    void refusesAPasswordInTheUrlWithoutRepeatingIt() {
        assertThatThrownBy(() -> JdbcTarget.of(URL + "?user=u&password=hunter2", "t", "u", () -> "x"))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("must not carry the password")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> JdbcTarget.of("jdbc:postgresql://u:hunter2@crm-db/crm", "t", "u", () -> "x"))
                .isInstanceOf(ConfigError.class)
                .message().doesNotContain("hunter2");
    }

    @Test
    void backsOffDoublingUpToTheCap() {
        JdbcTarget target = JdbcTarget.of(URL, "t", "u", () -> "x").withRetries(10, Duration.ofSeconds(10));

        assertThat(target.backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(target.backoffAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(target.backoffAfter(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(target.backoffAfter(4)).isEqualTo(JdbcTarget.MAX_BACKOFF);
        assertThat(target.backoffAfter(9)).isEqualTo(JdbcTarget.MAX_BACKOFF);
    }
}
