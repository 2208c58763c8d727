package org.seggateway.gateway.notify.fhir;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * A FHIR server for the tests: the JDK's HTTP server on loopback taking POSTs at /fhir. A request without the expected
 * bearer token gets 401; otherwise the n-th request (1-based) gets the status {@code statusOfNth} says, with an
 * OperationOutcome body when it is not 2xx. Every request is kept with its headers and body.
 */
public final class FhirReceiver implements AutoCloseable {
    public record Request(String method, String path, String authorization, String contentType, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();

    public FhirReceiver(int port, String token, IntUnaryOperator statusOfNth) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/fhir", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            int n;
            synchronized (this) {
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), auth,
                        exchange.getRequestHeaders().getFirst("Content-Type"), body));
                n = requests.size();
            }
            int status = ("Bearer " + token).equals(auth) ? statusOfNth.applyAsInt(n) : 401;
            String answer = status >= 200 && status < 300
                    ? "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\"}"
                    : "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"invalid\","
                    + "\"diagnostics\":\"refused with " + status + "\"}]}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir");
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
