package io.crmlake.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Where the salt of the email match key comes from, and that no message ever shows it. */
class PiiSettingsTest {
    private static Config pii(String file, String env) {
        return ConfigFactory.parseString("crmlake.pii { match-key-salt-file = \"" + file + "\", match-key-salt-env = \""
                + env + "\" }");
    }

    @Test
    void theEnvironmentVariableGivesTheSalt() {
        PiiSettings s = PiiSettings.of(pii("", "MY_SALT"), Map.of("MY_SALT", "s4lt-value"));
        assertThat(s.matchKeySalt().orElseThrow().get()).isEqualTo("s4lt-value");
        assertThat(s.describe()).isEqualTo("environment variable MY_SALT").doesNotContain("s4lt-value");
        assertThat(s.matchKeySalt().orElseThrow().toString()).doesNotContain("s4lt-value");
    }

    @Test
    void anUnsetVariableMeansNoSaltAndSaysWhy() {
        PiiSettings s = PiiSettings.of(pii("", "MY_SALT"), Map.of());
        assertThat(s.matchKeySalt()).isEmpty();
        assertThat(s.describe()).contains("environment variable MY_SALT is not set");
    }

    @Test
    void aSaltFileWinsAndMustBeReadable(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("salt"), "from-file\n");
        PiiSettings s = PiiSettings.of(pii(file.toString(), "MY_SALT"), Map.of("MY_SALT", "from-env"));
        assertThat(s.matchKeySalt().orElseThrow().get()).isEqualTo("from-file");
        assertThat(s.describe()).isEqualTo("file " + file);

        PiiSettings missing = PiiSettings.of(pii(dir.resolve("nope").toString(), ""), Map.of());
        assertThatThrownBy(() -> missing.matchKeySalt().orElseThrow().get()).isInstanceOf(ConfigError.class)
                .hasMessageContaining("salt of the email match key").hasMessageContaining("nope");
    }
}
