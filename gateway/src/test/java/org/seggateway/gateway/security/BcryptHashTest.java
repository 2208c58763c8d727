package org.seggateway.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BcryptHashTest {
    private static final String KEY = "seg-gateway.users.alice.password-hash";

    @Test
    void anUnsaltedSha256DigestIsRefusedWithHowToMakeABcryptHash() {
        // HEX(SHA-256("viewer:seg-gateway:test-viewer")), the former quarkus.security.users.embedded form
        assertThatThrownBy(() -> BcryptHash.parse(KEY, "8bc362528cd13eaa0e0ad90e91638ed9abbeef7537b94e7e02ead9bf4596e109"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KEY + " holds an unsalted SHA-256 digest")
                .hasMessageContaining("bin/seg-gateway hash-password");
    }

    @Test
    void aLowCostAnotherSchemeOrNothingIsRefused() {
        String cost9 = BcryptHash.of("pw".toCharArray(), 10).toString().replace("$2a$10$", "$2a$09$");
        assertThatThrownBy(() -> BcryptHash.parse(KEY, cost9)).hasMessageContaining("bcrypt cost 9");
        assertThatThrownBy(() -> BcryptHash.parse(KEY, "$2x$10$" + "a".repeat(53))).hasMessageContaining("is not a bcrypt hash");
        assertThatThrownBy(() -> BcryptHash.parse(KEY, "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=")).hasMessageContaining("is not a bcrypt hash");
        assertThatThrownBy(() -> BcryptHash.parse(KEY, " ")).hasMessageContaining(KEY + " is empty");
    }

    @Test
    void theRightPasswordMatchesAWrongOneDoesNotInEveryPrefix() {
        String made = BcryptHash.of("correct horse".toCharArray(), 10).toString();
        assertThat(made).startsWith("$2a$10$").hasSize(60);
        for (String prefix : new String[] {"$2a$", "$2b$", "$2y$"}) {
            BcryptHash hash = BcryptHash.parse(KEY, prefix + made.substring(4));
            assertThat(hash.cost()).isEqualTo(10);
            assertThat(hash.matches("correct horse".toCharArray())).as(prefix).isTrue();
            assertThat(hash.matches("correct horsE".toCharArray())).as(prefix).isFalse();
        }
    }

    @Test
    void twoHashesOfOnePasswordDiffer() {
        String first = BcryptHash.of("same".toCharArray(), 10).toString(), second = BcryptHash.of("same".toCharArray(), 10).toString();
        assertThat(first).isNotEqualTo(second);
        assertThat(first.substring(7, 29)).isNotEqualTo(second.substring(7, 29)); // the salts
    }
}
