package org.seggateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The gateway's REST API as a command sees it (a picocli mixin: {@code --gateway}, {@code --user}; the password comes
 * from {@code $SEG_GATEWAY_PASSWORD}, never from the command line). An answer other than 2xx is an {@link IOException}
 * carrying the gateway's error message.
 */
final class GatewayApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--gateway", description = "the gateway's HTTP address (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:SEG_GATEWAY_URL:-http://127.0.0.1:8080}")
    String gateway;

    @Option(names = "--user", description = "API user (default: $SEG_GATEWAY_USER); its password is read from $SEG_GATEWAY_PASSWORD",
            defaultValue = "${env:SEG_GATEWAY_USER}")
    String user;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String password;

    /** The API at {@code url} as {@code user} (for commands that start the gateway themselves). */
    static GatewayApi at(String url, ApiUser user) {
        GatewayApi api = new GatewayApi();
        api.gateway = url;
        api.user = user.name();
        api.password = user.password();
        return api;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    }

    private HttpRequest.Builder request(String path) {
        if (user == null || user.isBlank()) throw new IllegalArgumentException("no API user: give --user or set SEG_GATEWAY_USER");
        String password = this.password != null ? this.password : System.getenv("SEG_GATEWAY_PASSWORD");
        if (password == null) throw new IllegalArgumentException("set SEG_GATEWAY_PASSWORD to the password of API user " + user);
        return HttpRequest.newBuilder(URI.create(gateway.replaceAll("/+$", "") + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .header("Authorization", new ApiUser(user, password).basicAuthorization());
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IOException("gateway " + gateway + " not reachable: " + e, e);
        }
        JsonNode body = response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
        if (response.statusCode() / 100 != 2) {
            String message = body.hasNonNull("error") ? body.get("error").asText() : new String(response.body());
            throw new IOException(built.method() + " " + built.uri().getPath() + ": HTTP " + response.statusCode()
                    + (message.isBlank() ? "" : ": " + message));
        }
        return body;
    }
}
