package org.seggateway.gateway.notify.fhir;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.notify.ChannelAnswer;
import org.seggateway.gateway.notify.NotificationRepository.Due;
import org.seggateway.gateway.notify.ResultReport;

/**
 * POSTs a result's transaction bundle to a FHIR server's base URL with its bearer token. 2xx: sent. 400 or 422 (the
 * server refused the bundle's content; the same bundle would be refused again): failed at once with the start of the
 * server's answer (an OperationOutcome). Anything else (401/403 until the token is fixed, 5xx, no connection, a
 * timeout): retried with the notification backoff. Never throws for what the server does; errors name its host and port,
 * never the token.
 */
@ApplicationScoped
public class FhirPost {
    private static final int ERROR_BODY_CHARS = 300;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1).build();

    @PreDestroy
    void close() {
        http.close();
    }

    public ChannelAnswer post(Due due, GatewayConfig.FhirServer server) {
        if (server == null)
            return ChannelAnswer.retry(null, null, "FHIR server '" + due.webhook() + "' is not configured (seg-gateway.fhir."
                    + due.webhook() + ".*)");
        String bundle = FhirResultBundle.json(ResultReport.fromJson(due.body()),
                server.patientIdentifierSystem().map(URI::toString).orElse(null));
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(server.url()).timeout(server.timeout())
                    .header("Content-Type", "application/fhir+json; charset=utf-8").header("Accept", "application/fhir+json")
                    .header("User-Agent", "seg-gateway")
                    .POST(HttpRequest.BodyPublishers.ofString(bundle, StandardCharsets.UTF_8));
            server.bearerToken().ifPresent(token -> request.header("Authorization", "Bearer " + token));
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                int status = response.statusCode();
                if (status >= 200 && status < 300) return ChannelAnswer.accepted(status, null);
                String text = new String(in.readNBytes(4 * ERROR_BODY_CHARS), StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
                if (text.length() > ERROR_BODY_CHARS) text = text.substring(0, ERROR_BODY_CHARS) + "...";
                String error = "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
                return status == 400 || status == 422 ? ChannelAnswer.refused(status, null, error) : ChannelAnswer.retry(status, null, error);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ChannelAnswer.retry(null, null, "interrupted");
        } catch (ConnectException e) {
            return ChannelAnswer.retry(null, null, "cannot connect to " + address(server)
                    + (e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage()));
        } catch (IOException e) {
            return ChannelAnswer.retry(null, null, address(server) + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage()));
        }
    }

    public static String address(GatewayConfig.FhirServer server) {
        URI url = server.url();
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return url.getHost() + ":" + port;
    }
}
