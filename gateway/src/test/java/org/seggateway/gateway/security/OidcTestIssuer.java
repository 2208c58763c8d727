package org.seggateway.gateway.security;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in identity provider for the tests: a JDK HTTP server on a free loopback port, started before the gateway,
 * that serves what the gateway uses of Keycloak:
 * <ul>
 * <li>OpenID Connect discovery ({@code /realms/test/.well-known/openid-configuration}) and the JWKS with one RSA
 * public key, so that the gateway verifies bearer tokens and ID tokens against the key it fetched;</li>
 * <li>the authorization endpoint of the code flow: it requires PKCE with S256 and shows a sign-in form (a user name,
 * no password: the users are {@link #USERS}); approving redirects to the client's redirect URI with a one-time code;</li>
 * <li>the token endpoint: it authenticates the client (client_secret_basic or _post), takes each code once and only
 * with the redirect URI it was issued for and a {@code code_verifier} whose SHA-256 is the request's
 * {@code code_challenge} (RFC 7636 4.6), else it answers 400 {@code invalid_grant}; it issues an ID token (with the
 * request's nonce) and an access token, both with the user's roles in {@code realm_access/roles};</li>
 * <li>the end-session endpoint (RP-initiated logout): it takes an ID token of its own as {@code id_token_hint} and
 * redirects to {@code post_logout_redirect_uri} with the request's state.</li>
 * </ul>
 * The matching private key reaches the tests as the configuration value {@value #SIGNING_KEY} (PKCS#8, base64):
 * the test class may live in another class loader than this resource, configuration crosses that boundary.
 */
public class OidcTestIssuer implements QuarkusTestResourceLifecycleManager {
    public static final String SIGNING_KEY = "test.oidc.signing-key";
    public static final String KEY_ID = "test-key";
    public static final String AUDIENCE = "seg-gateway";
    public static final String CLIENT_SECRET = "test-client-secret";
    /** The users the sign-in form knows, with their realm roles. */
    public static final Map<String, List<String>> USERS = Map.of(
            "dr-viewer", List.of(Roles.VIEWER),
            "dr-operator", List.of(Roles.OPERATOR, "offline_access"),
            "dr-auditor", List.of(Roles.AUDITOR),
            "dr-admin", List.of(Roles.ADMIN));
    static final String REALM = "/realms/test";
    static final String AUTHORIZE = REALM + "/protocol/openid-connect/auth";
    static final String APPROVE = AUTHORIZE + "/approve";
    static final String TOKEN = REALM + "/protocol/openid-connect/token";
    static final String END_SESSION = REALM + "/protocol/openid-connect/logout";
    static final String REFUSALS = REALM + "/test/pkce-refusals";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** An authorization request waiting for the user's approval, and then the code's grant. */
    private record Grant(String redirectUri, String state, String nonce, String codeChallenge, String user, Instant expires) {}

    private final Map<String, Grant> pending = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    /** Token requests refused for their code verifier, for the tests ({@value #REFUSALS}, over HTTP: another class loader). */
    private final AtomicInteger pkceRefusals = new AtomicInteger();
    private HttpServer server;
    private KeyPair keys;
    private String issuer;

    /** Init argument {@value #END_SESSION_ARG}: "false" leaves the end-session endpoint out (a provider without one). */
    public static final String END_SESSION_ARG = "end-session";
    private boolean endSessionAdvertised = true;

    @Override
    public void init(Map<String, String> args) {
        endSessionAdvertised = !"false".equals(args.get(END_SESSION_ARG));
    }

    @Override
    public Map<String, String> start() {
        keys = newRsaKeyPair();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("test OIDC issuer could not listen", e);
        }
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        issuer = base + REALM;
        String discovery = """
                {"issuer":"%s","jwks_uri":"%s/protocol/openid-connect/certs","authorization_endpoint":"%s","token_endpoint":"%s",\
                %s"response_types_supported":["code"],"subject_types_supported":["public"],\
                "code_challenge_methods_supported":["S256"],"id_token_signing_alg_values_supported":["RS256"],\
                "token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"]}"""
                .formatted(issuer, issuer, base + AUTHORIZE, base + TOKEN,
                        endSessionAdvertised ? "\"end_session_endpoint\":\"" + base + END_SESSION + "\"," : "");
        server.createContext(REALM + "/.well-known/openid-configuration", x -> send(x, 200, "application/json", discovery));
        server.createContext(REALM + "/protocol/openid-connect/certs",
                x -> send(x, 200, "application/json", jwks((RSAPublicKey) keys.getPublic())));
        server.createContext(AUTHORIZE, this::authorize);
        server.createContext(APPROVE, this::approve);
        server.createContext(TOKEN, this::token);
        server.createContext(END_SESSION, this::endSession);
        server.createContext(REFUSALS, x -> send(x, 200, "text/plain", Integer.toString(pkceRefusals.get())));
        server.start();
        return Map.ofEntries(
                Map.entry("quarkus.oidc.tenant-enabled", "true"),
                Map.entry("quarkus.oidc.auth-server-url", issuer),
                Map.entry("quarkus.oidc.client-id", AUDIENCE),
                Map.entry("quarkus.oidc.credentials.secret", CLIENT_SECRET),
                Map.entry("quarkus.oidc.roles.role-claim-path", "realm_access/roles"),
                Map.entry("quarkus.oidc.token.audience", AUDIENCE),
                Map.entry(SIGNING_KEY, Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded())));
    }

    @Override
    public void stop() {
        if (server != null) server.stop(0);
    }

    /** GET: checks the request as Keycloak would for a client that must use PKCE, then shows the sign-in form. */
    private void authorize(HttpExchange x) throws IOException {
        if (!x.getRequestURI().getPath().equals(AUTHORIZE)) {
            send(x, 404, "text/plain", "no such page");
            return;
        }
        Map<String, String> q = form(x.getRequestURI().getRawQuery());
        String refused = !"code".equals(q.get("response_type")) ? "response_type must be code"
                : !AUDIENCE.equals(q.get("client_id")) ? "unknown client_id"
                : q.get("redirect_uri") == null ? "redirect_uri missing"
                : q.get("scope") == null || !List.of(q.get("scope").split(" ")).contains("openid") ? "scope must include openid"
                : !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
                        ? "PKCE with code_challenge_method S256 is required" : null;
        if (refused != null) {
            send(x, 400, "text/plain", refused);
            return;
        }
        String id = random();
        pending.put(id, new Grant(q.get("redirect_uri"), q.get("state"), q.get("nonce"), q.get("code_challenge"), null,
                Instant.now().plusSeconds(300)));
        send(x, 200, "text/html; charset=utf-8", signInForm(id, ""));
    }

    /** POST of the sign-in form: a known user gets a code, sent to the client's redirect URI with its state. */
    private void approve(HttpExchange x) throws IOException {
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String id = f.getOrDefault("request", "");
        String user = f.getOrDefault("username", "");
        Grant request = pending.get(id);
        if (request == null || request.expires().isBefore(Instant.now())) {
            send(x, 400, "text/plain", "unknown or expired sign-in request");
            return;
        }
        if (!USERS.containsKey(user)) {
            send(x, 200, "text/html; charset=utf-8", signInForm(id, "Unknown user."));
            return;
        }
        pending.remove(id);
        String code = random();
        codes.put(code, new Grant(request.redirectUri(), request.state(), request.nonce(), request.codeChallenge(), user,
                Instant.now().plusSeconds(60)));
        String location = request.redirectUri() + (request.redirectUri().contains("?") ? "&" : "?") + "code=" + code
                + (request.state() == null ? "" : "&state=" + URLEncoder.encode(request.state(), StandardCharsets.UTF_8));
        x.getResponseHeaders().set("Location", location);
        send(x, 302, "text/plain", "");
    }

    /** POST grant_type=authorization_code: client, code, redirect URI and PKCE verifier checked; tokens issued. */
    private void token(HttpExchange x) throws IOException {
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!clientAuthenticated(x, f)) {
            error(x, 401, "invalid_client", "client authentication failed");
            return;
        }
        if (!"authorization_code".equals(f.get("grant_type"))) {
            error(x, 400, "unsupported_grant_type", "only authorization_code");
            return;
        }
        Grant grant = f.get("code") == null ? null : codes.remove(f.get("code")); // once only, also when refused below
        if (grant == null || grant.expires().isBefore(Instant.now())) {
            error(x, 400, "invalid_grant", "unknown, used or expired code");
            return;
        }
        if (!grant.redirectUri().equals(f.get("redirect_uri"))) {
            error(x, 400, "invalid_grant", "redirect_uri differs from the authorization request's");
            return;
        }
        String verifier = f.get("code_verifier");
        if (verifier == null || !verifier.matches("[A-Za-z0-9._~-]{43,128}") || !s256(verifier).equals(grant.codeChallenge())) {
            pkceRefusals.incrementAndGet();
            error(x, 400, "invalid_grant", "PKCE verification failed");
            return;
        }
        long now = Instant.now().getEpochSecond();
        Map<String, Object> roles = Map.of("roles", USERS.get(grant.user()));
        var id = Jwt.issuer(issuer).audience(AUDIENCE).subject("sub-" + grant.user()).preferredUserName(grant.user())
                .claim("azp", AUDIENCE).claim("realm_access", roles).issuedAt(now).expiresAt(now + 300);
        if (grant.nonce() != null) id.claim("nonce", grant.nonce());
        String access = Jwt.issuer(issuer).audience(AUDIENCE).subject("sub-" + grant.user()).preferredUserName(grant.user())
                .claim("azp", AUDIENCE).claim("realm_access", roles).claim("scope", "openid").issuedAt(now).expiresAt(now + 300)
                .jws().keyId(KEY_ID).sign(keys.getPrivate());
        String body = """
                {"access_token":"%s","id_token":"%s","token_type":"Bearer","expires_in":300}"""
                .formatted(access, id.jws().keyId(KEY_ID).sign(keys.getPrivate()));
        x.getResponseHeaders().set("Cache-Control", "no-store");
        send(x, 200, "application/json", body);
    }

    /** GET of RP-initiated logout: an ID token of this issuer as hint, then back to the client's post-logout URI. */
    private void endSession(HttpExchange x) throws IOException {
        Map<String, String> q = form(x.getRequestURI().getRawQuery());
        String hint = q.get("id_token_hint"), back = q.get("post_logout_redirect_uri");
        if (hint == null || !hint.contains(".") || back == null) {
            send(x, 400, "text/plain", "id_token_hint and post_logout_redirect_uri are required");
            return;
        }
        String payload = new String(Base64.getUrlDecoder().decode(hint.split("\\.")[1]), StandardCharsets.UTF_8);
        if (!payload.contains("\"iss\":\"" + issuer + "\"")) {
            send(x, 400, "text/plain", "id_token_hint not issued here");
            return;
        }
        String state = q.get("state");
        x.getResponseHeaders().set("Location", back + (state == null ? ""
                : (back.contains("?") ? "&" : "?") + "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)));
        send(x, 302, "text/plain", "");
    }

    private static boolean clientAuthenticated(HttpExchange x, Map<String, String> f) {
        String header = x.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon > 0 && URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8).equals(AUDIENCE)
                    && URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8).equals(CLIENT_SECRET);
        }
        return AUDIENCE.equals(f.get("client_id")) && CLIENT_SECRET.equals(f.get("client_secret"));
    }

    private static String signInForm(String request, String error) {
        return """
                <!DOCTYPE html><html lang="en"><head><title>Test issuer: sign in</title></head><body>
                <h1>Test issuer</h1><p id="issuer-error">%s</p>
                <form method="post" action="%s">
                <input type="hidden" name="request" value="%s">
                <label>User <input id="username" name="username" autocomplete="off"></label>
                <button id="approve" type="submit">Sign in</button>
                </form></body></html>""".formatted(error, APPROVE, request);
    }

    static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) return values;
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
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

    private static void error(HttpExchange x, int status, String error, String description) throws IOException {
        send(x, status, "application/json", "{\"error\":\"%s\",\"error_description\":\"%s\"}".formatted(error, description));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
