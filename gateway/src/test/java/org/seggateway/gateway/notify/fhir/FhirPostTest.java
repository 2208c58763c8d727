package org.seggateway.gateway.notify.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.notify.ChannelAnswer;
import org.seggateway.gateway.notify.NotificationChannel;
import org.seggateway.gateway.notify.NotificationRepository.Due;
import org.seggateway.gateway.notify.ResultReports;

/** The POST of a result's bundle to a real HTTP server (the JDK's): bearer token, body, and what each answer means. */
class FhirPostTest {
    private final Due due = ResultReports.due(NotificationChannel.FHIR, "ehr", ResultReports.ct(42, 1));

    @Test
    void postsAValidTransactionBundleWithTheBearerToken() throws Exception {
        FhirPost post = new FhirPost();
        try (FhirReceiver ehr = new FhirReceiver(0, "s3cret", n -> 200)) {
            ChannelAnswer answer = post.post(due, ResultReports.fhir(ehr.url(), "s3cret"));
            assertThat(answer).isEqualTo(ChannelAnswer.accepted(200, null));
            FhirReceiver.Request request = ehr.requests().getFirst();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.authorization()).isEqualTo("Bearer s3cret");
            assertThat(request.contentType()).startsWith("application/fhir+json");
            Bundle bundle = FhirResultBundle.fhir().newJsonParser().parseResource(Bundle.class, request.body());
            assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
            assertThat(bundle.getEntry()).hasSize(7);
            assertThat(FhirValidation.errors(request.body())).isEmpty();
        } finally {
            post.close();
        }
    }

    @Test
    void aWrongTokenAndServerErrorsAreRetriedARefusedBundleIsNot() throws Exception {
        FhirPost post = new FhirPost();
        try (FhirReceiver ehr = new FhirReceiver(0, "s3cret", n -> n == 2 ? 503 : 422)) {
            ChannelAnswer unauthorized = post.post(due, ResultReports.fhir(ehr.url(), "wrong"));
            assertThat(unauthorized.refused()).isFalse();
            assertThat(unauthorized.httpStatus()).isEqualTo(401);
            assertThat(unauthorized.error()).doesNotContain("wrong");
            ChannelAnswer unavailable = post.post(due, ResultReports.fhir(ehr.url(), "s3cret"));
            assertThat(unavailable.refused()).isFalse();
            assertThat(unavailable.httpStatus()).isEqualTo(503);
            ChannelAnswer invalid = post.post(due, ResultReports.fhir(ehr.url(), "s3cret"));
            assertThat(invalid.refused()).isTrue();
            assertThat(invalid.httpStatus()).isEqualTo(422);
            assertThat(invalid.error()).startsWith("HTTP 422: ").contains("refused with 422");
        } finally {
            post.close();
        }
    }
}
