package org.seggateway.gateway.queue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Without a broker (the tests point at 127.0.0.1:1) the gateway says so and does not fall over. */
@QuarkusTest
class TopicSetupTest {
    @Inject
    TopicSetup topics;

    @Test
    void anUnreachableBrokerIsAClearErrorNotACrash() {
        long start = System.nanoTime();
        assertThat(topics.ensure()).isFalse();
        assertThat(topics.lastError()).contains("Kafka at 127.0.0.1:1", "Jobs wait in state 'complete'", "retrying every 30 s");
        assertThat((System.nanoTime() - start) / 1e9).as("bounded by the request timeout").isLessThan(15);
        // a second call within the retry interval does not block again
        long again = System.nanoTime();
        assertThat(topics.ensure()).isFalse();
        assertThat((System.nanoTime() - again) / 1e9).isLessThan(1);
        // the queue is off in these tests, so readiness reports Kafka as not in use rather than down
        given().get("/q/health/ready").then().body("checks.find { it.name == 'kafka' }.data.queue", equalTo("disabled"));
    }
}
