package org.seggateway.gateway.atna;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SendBackoffTest {

    @Test
    void doublesFromTheInitialWaitUpToTheMaximumAndStartsOverAfterASuccess() {
        SendBackoff backoff = new SendBackoff(Duration.ofMillis(100), Duration.ofMillis(350));
        assertThat(backoff.succeeded()).as("no failure to end").isFalse();
        assertThat(backoff.failed()).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.firstFailure()).isTrue();
        assertThat(backoff.failed()).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.firstFailure()).isFalse();
        assertThat(backoff.failed()).isEqualTo(Duration.ofMillis(350));
        assertThat(backoff.failed()).isEqualTo(Duration.ofMillis(350));
        assertThat(backoff.succeeded()).as("a success ends the run of failures").isTrue();
        assertThat(backoff.failed()).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.firstFailure()).isTrue();
    }
}
