package io.crmlake.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The key a downstream CRM recomputes from its own contacts: hex SHA-256 of salt + normalised email. */
class MatchKeyTest {
    @Test
    void isTheHexSha256OfTheSaltFollowedByTheEmail() {
        // python3 -c "import hashlib; print(hashlib.sha256(b'pepper' + b'ann.lee@example.com').hexdigest())"
        assertThat(MatchKey.of("pepper", "ann.lee@example.com"))
                .isEqualTo("a7467495fca1794caf6e0ee6b6ad66a1073a8403ab7ed5594b473b5bec1a1625");
        assertThat(MatchKey.of("other salt", "ann.lee@example.com")).isNotEqualTo(MatchKey.of("pepper", "ann.lee@example.com"));
    }

    @Test
    void noEmailNoKey() {
        assertThat(MatchKey.of("pepper", null)).isNull();
        assertThat(MatchKey.of("pepper", "")).isNull();
    }
}
