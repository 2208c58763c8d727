package org.seggateway.gateway.security;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * A stand-in identity provider for the tests: a JDK HTTP server on a free loopback port that serves OpenID Connect
 * discovery ({@code /realms/test/.well-known/openid-configuration}) and the JWKS with one RSA public key, started
 * before the gateway so that the gateway's OIDC tenant discovers it and fetches the key as it would from Keycloak.
 * The matching private key reaches the tests as the configuration value {@value #SIGNING_KEY} (PKCS#8, base64):
 * the test class may live in another class loader than this resource, configuration crosses that boundary.
 */
public class OidcTestIssuer implements QuarkusTestResourceLifecycleManager {
    public static final String SIGNING_KEY = "test.oidc.signing-key";
    public static final String KEY_ID = "test-key";
    public static final String AUDIENCE = "seg-gateway";
    private static final String REALM = "/realms/test";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        KeyPair keys = newRsaKeyPair();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("test OIDC issuer could not listen", e);
        }
        String issuer = "http://127.0.0.1:" + server.getAddress().getPort() + REALM;
        String jwksUri = issuer + "/protocol/openid-connect/certs";
        String discovery = """
                {"issuer":"%s","jwks_uri":"%s","token_endpoint":"%s/protocol/openid-connect/token",\
                "id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer, jwksUri, issuer);
        server.createContext(REALM + "/.well-known/openid-configuration", x -> json(x, discovery));
        server.createContext(REALM + "/protocol/openid-connect/certs", x -> json(x, jwks((RSAPublicKey) keys.getPublic())));
        server.start();
        return Map.ofEntries(
                Map.entry("quarkus.oidc.tenant-enabled", "true"),
                Map.entry("quarkus.oidc.auth-server-url", issuer),
                Map.entry("quarkus.oidc.client-id", AUDIENCE),
                Map.entry("quarkus.oidc.application-type", "service"),
                Map.entry("quarkus.oidc.roles.role-claim-path", "realm_access/roles"),
                Map.entry("quarkus.oidc.token.audience", AUDIENCE),
                Map.entry(SIGNING_KEY, Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded())));
    }

    @Override
    public void stop() {
        if (server != null) server.stop(0);
    }

    static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwks(RSAPublicKey key) {
        return """
                {"keys":[{"kty":"RSA","kid":"%s","use":"sig","alg":"RS256","n":"%s","e":"%s"}]}"""
                .formatted(KEY_ID, base64Url(key.getModulus()), base64Url(key.getPublicExponent()));
    }

    /** RFC 7518 6.3.1: the unsigned big-endian bytes, base64url without padding. */
    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
