package org.seggateway.gateway.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP server (the JDK's) standing in for a RIS webhook endpoint on a loopback port: keeps every request and
 * answers with the status {@code answer} gives for the n-th request (from 1) carrying the same event id.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().getFirst())
                    .findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, AtomicInteger> perEvent = new ConcurrentHashMap<>();

    WebhookReceiver(int port, IntUnaryOperator answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
                synchronized (requests) {
                    requests.add(request);
                }
                String eventId;
                try {
                    eventId = request.json().path("eventId").asText();
                } catch (IOException e) {
                    eventId = "";
                }
                int status = answer.applyAsInt(perEvent.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet());
                byte[] reply = (status == 200 ? "ok" : "try again later").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, reply.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            }
        });
        server.start();
    }

    /** The requests whose body carries {@code eventId}, in arrival order. */
    List<Request> requests(String eventId) throws IOException {
        List<Request> out = new ArrayList<>();
        synchronized (requests) {
            for (Request r : requests) if (r.json().path("eventId").asText().equals(eventId)) out.add(r);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
