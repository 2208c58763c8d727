package org.seggateway.gateway.notify;

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
import org.seggateway.gateway.notify.NotificationRepository.Due;

/**
 * One POST of a notification's body to its webhook with the JDK HTTP client (no redirects, the webhook's headers and
 * timeout). Never throws; errors name the webhook's host and port, never its path or query, which may hold a token.
 */
@ApplicationScoped
public class WebhookPost {
    /** Of an answer that is not 2xx, this much of its body goes into last_error. */
    private static final int ERROR_BODY_CHARS = 200;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1).build();

    /** What the webhook answered: its status, or null when there was none, and the error text (empty for 2xx). */
    public record Answer(Integer status, String error) {
        boolean accepted() {
            return status != null && status >= 200 && status < 300;
        }

        /** Every failure of a webhook is tried again. */
        ChannelAnswer asChannelAnswer() {
            return accepted() ? ChannelAnswer.accepted(status, null) : ChannelAnswer.retry(status, null, error);
        }
    }

    @PreDestroy
    void close() {
        http.close();
    }

    public Answer post(Due due, GatewayConfig.Webhook webhook) {
        if (webhook == null)
            return new Answer(null, "webhook '" + due.webhook() + "' is not configured (seg-gateway.webhooks." + due.webhook() + ".*)");
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url()).timeout(webhook.timeout())
                    .header("Content-Type", "application/json").header("User-Agent", "seg-gateway")
                    .POST(HttpRequest.BodyPublishers.ofString(due.body(), StandardCharsets.UTF_8));
            webhook.headers().forEach(request::setHeader);
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                int status = response.statusCode();
                if (status >= 200 && status < 300) return new Answer(status, "");
                String text = new String(in.readNBytes(4 * ERROR_BODY_CHARS), StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
                if (text.length() > ERROR_BODY_CHARS) text = text.substring(0, ERROR_BODY_CHARS) + "...";
                return new Answer(status, "HTTP " + status + (text.isEmpty() ? "" : ": " + text));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, "interrupted");
        } catch (ConnectException e) {
            return new Answer(null, "cannot connect to " + hostAndPort(webhook.url())
                    + (e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            return new Answer(null, e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** host:port of the webhook, the part of its URL that is safe to record. */
    static String hostAndPort(URI url) {
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return url.getHost() + ":" + port;
    }
}
