package org.seggateway.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A STOW-RS client (PS3.18 10.5): Part 10 files as the parts of one {@code multipart/related; type="application/dicom"}
 * request, streamed from disk by the JDK's HTTP client (HTTP/1.1, Content-Length known in advance).
 */
public final class StowRsClient {

    /** What the server answered, with the request's size and wall time (from sending to the whole response). */
    public record Result(int status, String body, int files, long bytes, double seconds) {
        public double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * POSTs {@code files} to {@code studies} (a DICOMweb base URL followed by {@code /studies}).
     *
     * @param authorization the Authorization header value, or null
     */
    public Result store(URI studies, String authorization, List<Path> files, Duration timeout) throws IOException, InterruptedException {
        String boundary = "seggw-client-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> pieces = new ArrayList<>();
        long bytes = 0;
        for (Path f : files) {
            pieces.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n",
                    StandardCharsets.US_ASCII));
            pieces.add(HttpRequest.BodyPublishers.ofFile(f));
            pieces.add(HttpRequest.BodyPublishers.ofString("\r\n", StandardCharsets.US_ASCII));
            bytes += Files.size(f);
        }
        pieces.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.US_ASCII));
        HttpRequest.Builder request = HttpRequest.newBuilder(studies).timeout(timeout)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.concat(pieces.toArray(HttpRequest.BodyPublisher[]::new)));
        if (authorization != null) request.header("Authorization", authorization);
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Result(r.statusCode(), r.body(), files.size(), bytes, (System.nanoTime() - start) / 1e9);
    }
}
