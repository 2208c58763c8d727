package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code hash-password} with the password on stdin ($SEG_GATEWAY_PASSWORD is not set under the build). */
class HashPasswordCommandTest {

    private static CliRun withStdin(String stdin, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            return CliRun.run(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void printsASaltedBcryptHashOfThePasswordOnStdin() {
        CliRun first = withStdin("correct horse battery\n", "hash-password", "--cost", "10");
        CliRun second = withStdin("correct horse battery\n", "hash-password", "--cost", "10");
        assertThat(first.status()).as(first.err()).isZero();
        String hash = first.out().strip(), other = second.out().strip();
        assertThat(hash).matches("\\$2a\\$10\\$[./A-Za-z0-9]{53}");
        assertThat(other).isNotEqualTo(hash); // a fresh salt each time
        assertThat(Bcrypt.matches("correct horse battery".toCharArray(), hash)).isTrue();
        assertThat(Bcrypt.matches("correct horse battery".toCharArray(), other)).isTrue();
        assertThat(Bcrypt.matches("correct horse battery\n".toCharArray(), hash)).isFalse();
        assertThat(Bcrypt.matches("correct horse".toCharArray(), hash)).isFalse();
    }

    @Test
    void theDefaultCostIs12AndTooLowACostOrNoPasswordIsRefused() {
        assertThat(withStdin("pw\n", "hash-password").out().strip()).startsWith("$2a$12$");
        CliRun low = withStdin("pw\n", "hash-password", "--cost", "9");
        assertThat(low.status()).isEqualTo(2);
        assertThat(low.err()).contains("the bcrypt cost must be 10 to 31");
        CliRun none = withStdin("", "hash-password", "--cost", "10");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("no password");
        CliRun empty = withStdin("\n", "hash-password", "--cost", "10");
        assertThat(empty.err()).contains("the password is empty");
    }
}
