package org.seggateway.gateway.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.egress.DeliveryRepository.Due;

/**
 * One STOW-RS request (PS3.18 10.5) of a delivery's objects to a {@code kind=stow-rs} destination: the SEG, then the
 * measurement report where the result has one, as the parts of one {@code multipart/related; type="application/dicom"}
 * body streamed from the files, POSTed to {@code <url>/studies}. The answer, in the terms {@link DeliveryRecorder} judges
 * C-STORE answers by:
 * <ul>
 * <li>2xx with every object in the Referenced SOP Sequence (or no body naming a failure): Success;</li>
 * <li>a Failed SOP Sequence entry for the SEG: its Failure Reason as the DICOM status (0xA9xx/0xCxxx refusals, 0xA7xx
 *     out of resources retried); one for the report alone (0x0122 and the like): the SEG counts as delivered;</li>
 * <li>another 4xx: no DICOM status, the HTTP status recorded, counted as a refusal (408 and 429 retried);</li>
 * <li>5xx, a refused connection, a timeout: retried with backoff.</li>
 * </ul>
 * Never throws.
 */
@ApplicationScoped
public class StowAttempt {
    static final String BOUNDARY_PREFIX = "seggw-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    public CStoreAttempt.Answer send(Due due, GatewayConfig.Destination destination) {
        List<Path> files = due.srPath() == null ? List.of(Path.of(due.segPath()))
                : List.of(Path.of(due.segPath()), Path.of(due.srPath()));
        try {
            HttpResponse<InputStream> response = post(destination, files);
            return judge(due, destination, response.statusCode(), boundedBody(response));
        } catch (HttpTimeoutException e) {
            return new CStoreAttempt.Answer(null, "STOW-RS request timed out after " + destination.timeout());
        } catch (ConnectException e) {
            return new CStoreAttempt.Answer(null, "STOW-RS service not reachable: " + describe(e));
        } catch (IOException | RuntimeException e) {
            return new CStoreAttempt.Answer(null, "STOW-RS request failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CStoreAttempt.Answer(null, "STOW-RS request interrupted");
        }
    }

    /** The response body as text, or null past {@code MAX_RESPONSE_BYTES} (read no further: a peer cannot fill the heap). */
    private static String boundedBody(HttpResponse<InputStream> response) throws IOException {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            return bytes.length > MAX_RESPONSE_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private HttpResponse<InputStream> post(GatewayConfig.Destination destination, List<Path> files)
            throws IOException, InterruptedException {
        String boundary = BOUNDARY_PREFIX + UUID.randomUUID();
        HttpRequest.Builder request = HttpRequest.newBuilder(studiesUri(destination.url().orElseThrow()))
                .timeout(destination.timeout())
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(body(boundary, files));
        authorization(destination.auth()).ifPresent(value -> request.header("Authorization", value));
        HttpClient client = clients.computeIfAbsent(destination.timeout(), t -> HttpClient.newBuilder()
                .connectTimeout(t).followRedirects(HttpClient.Redirect.NEVER).build());
        return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** {@code <url>/studies}, whether the configured URL ends with a slash or not. */
    static URI studiesUri(URI base) {
        String s = base.toString();
        return URI.create((s.endsWith("/") ? s : s + "/") + "studies");
    }

    /** The multipart body: each file a part of type application/dicom, streamed from disk when sent. */
    static HttpRequest.BodyPublisher body(String boundary, List<Path> files) throws IOException {
        List<HttpRequest.BodyPublisher> pieces = new ArrayList<>();
        for (Path file : files) {
            pieces.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n",
                    StandardCharsets.US_ASCII));
            pieces.add(HttpRequest.BodyPublishers.ofFile(file));
            pieces.add(HttpRequest.BodyPublishers.ofString("\r\n", StandardCharsets.US_ASCII));
        }
        pieces.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.US_ASCII));
        return HttpRequest.BodyPublishers.concat(pieces.toArray(HttpRequest.BodyPublisher[]::new));
    }

    static java.util.Optional<String> authorization(GatewayConfig.DestinationAuth auth) {
        return switch (auth.type()) {
            case NONE -> java.util.Optional.empty();
            case BASIC -> java.util.Optional.of("Basic " + Base64.getEncoder().encodeToString(
                    (auth.user().orElse("") + ":" + auth.password().orElse("")).getBytes(StandardCharsets.UTF_8)));
            case BEARER -> java.util.Optional.of("Bearer " + auth.token().orElse(""));
        };
    }

    /** The answer of a response; package-visible for tests with made-up responses. */
    static CStoreAttempt.Answer judge(Due due, GatewayConfig.Destination destination, int http, String body) {
        StowResult result;
        try {
            result = StowResult.parse(body == null || body.length() > MAX_RESPONSE_BYTES ? "" : body, JSON);
        } catch (IOException e) {
            if (http >= 200 && http < 300 || http >= 400)
                StowLog.LOG.responseUnreadable(due.id(), due.destination(), e.getMessage(), http);
            result = StowResult.EMPTY;
        }
        String seg = due.segSopInstanceUid();
        Integer segFailure = result.failures().get(seg);
        if (segFailure != null)
            return new CStoreAttempt.Answer(segFailure, "the STOW-RS service refused the SEG (Failure Reason "
                    + DimseStatus.toHex(segFailure) + ")", http);
        if (http >= 200 && http < 300 || http == 409 && !result.failures().isEmpty()) {
            if (!result.failures().isEmpty()) {
                // what failed is not the SEG: the report
                Map.Entry<String, Integer> report = result.failures().entrySet().iterator().next();
                if (DeliveryRecorder.isRefusal(report.getValue()) || report.getValue() == 0x0122) {
                    StowLog.LOG.measurementReportRefused(due.id(), due.destination(), DimseStatus.toHex(report.getValue()));
                } else {
                    return new CStoreAttempt.Answer(report.getValue(), "measurement report: the STOW-RS service answered Failure Reason "
                            + DimseStatus.toHex(report.getValue()), http);
                }
            }
            if (http == 409 || !result.stored().isEmpty() && !result.stored().contains(seg))
                return new CStoreAttempt.Answer(null, "the STOW-RS response does not list the SEG as stored", http);
            return new CStoreAttempt.Answer(DimseStatus.SUCCESS, "", http);
        }
        String reason = "HTTP " + http + (result.failures().isEmpty() ? "" : ", failures " + result.failures());
        return new CStoreAttempt.Answer(null, "the STOW-RS service answered " + reason + snippet(body), http);
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) return "";
        String s = body.strip().replaceAll("[^\\x20-\\x7e]", "?");
        return ": " + (s.length() > 200 ? s.substring(0, 200) + "..." : s);
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** What a STOW-RS response body names: the SOP Instance UIDs stored, and those failed with their Failure Reason. */
    record StowResult(List<String> stored, Map<String, Integer> failures) {
        static final StowResult EMPTY = new StowResult(List.of(), Map.of());

        static StowResult parse(String body, ObjectMapper json) throws IOException {
            if (body.isBlank()) return EMPTY;
            JsonNode root = json.readTree(body);
            if (root != null && root.isArray() && !root.isEmpty()) root = root.get(0); // some servers wrap it
            if (root == null || !root.isObject()) throw new IOException("not a DICOM JSON object");
            List<String> stored = new ArrayList<>();
            for (JsonNode item : items(root, "00081199")) {
                String uid = text(item, "00081155");
                if (uid != null) stored.add(uid);
            }
            Map<String, Integer> failures = new java.util.LinkedHashMap<>();
            for (JsonNode item : items(root, "00081198")) {
                String uid = text(item, "00081155");
                JsonNode reason = item.path("00081197").path("Value").path(0);
                failures.put(uid == null ? "" : uid, reason.canConvertToInt() ? reason.asInt() : 0x0110);
            }
            return new StowResult(List.copyOf(stored), failures);
        }

        private static Iterable<JsonNode> items(JsonNode root, String tag) {
            JsonNode value = root.path(tag).path("Value");
            return value.isArray() ? value : List.of();
        }

        private static String text(JsonNode item, String tag) {
            JsonNode v = item.path(tag).path("Value").path(0);
            return v.isTextual() ? v.asText() : null;
        }
    }
}
