package org.seggateway.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page's sign-in with OIDC on, over HTTP with the JDK client and a cookie jar, step by step as a browser goes:
 * the gateway sends an anonymous browser from {@code /signin} to {@link OidcTestIssuer}'s authorization endpoint with
 * a PKCE S256 challenge, state and nonce; the issuer's form approves a user and redirects back with a code; the
 * gateway exchanges it (the issuer checks the code verifier) and sets an HttpOnly session cookie; the API then takes
 * the cookie with the user's roles; {@code /signout} clears it and ends the session at the issuer.
 */
@QuarkusTest
@TestProfile(OidcTestProfile.class)
class OidcSignInTest {
    private static final Pattern REQUEST_ID = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");

    @TestHTTPResource("/")
    URL root;
    @Inject
    DataSource dataSource;
    CookieManager jar;
    HttpClient http;

    @BeforeEach
    void newBrowser() {
        jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        http = HttpClient.newBuilder().cookieHandler(jar).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void theCodeFlowWithPkceSignsInAndSignOutEndsTheSession() throws Exception {
        assertThat(json(get(gateway("/api/session"))).get("mode").asText()).isEqualTo("oidc");
        assertThat(json(get(gateway("/api/session"))).get("user").isNull()).isTrue();

        // the gateway sends the browser to the issuer: code flow, PKCE S256, state and nonce, its redirect URI
        HttpResponse<String> toIssuer = get(gateway("/signin"));
        assertThat(toIssuer.statusCode()).isEqualTo(302);
        URI authorize = location(toIssuer);
        assertThat(authorize.toString()).startsWith(TestTokens.issuer() + "/protocol/openid-connect/auth?");
        Map<String, String> asked = OidcTestIssuer.form(authorize.getRawQuery());
        assertThat(asked).containsEntry("response_type", "code").containsEntry("client_id", OidcTestIssuer.AUDIENCE)
                .containsEntry("code_challenge_method", "S256").containsEntry("redirect_uri", gateway("/signin").toString())
                .containsKeys("state", "nonce");
        assertThat(asked.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(asked.get("scope").split(" ")).contains("openid");
        assertThat(setCookie(toIssuer, "q_auth")).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");

        // the issuer's form approves dr-operator and sends the browser back with a code and the state
        URI callback = approve(authorize, "dr-operator");
        assertThat(callback.toString()).startsWith(gateway("/signin?").toString());
        assertThat(OidcTestIssuer.form(callback.getRawQuery())).containsEntry("state", asked.get("state")).containsKey("code");

        // the gateway exchanges the code and sets the session cookie, then sends the browser on to the page
        HttpResponse<String> signedIn = get(callback);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(location(signedIn).getPath()).isEqualTo("/");
        assertThat(setCookie(signedIn, "q_session")).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
        assertThat(sessionCookie()).isNotNull();
        // a copy of the cookie, sent by another client (as a thief would), works while the session lasts
        String copied = sessionCookieHeader();
        assertThat(withCookie(copied, "/api/jobs").statusCode()).isEqualTo(200);

        // the API takes the cookie, with the roles of the access token (offline_access is no gateway role)
        JsonNode session = json(get(gateway("/api/session")));
        assertThat(session.get("user").asText()).isEqualTo("dr-operator");
        assertThat(session.get("roles").toString()).isEqualTo("[\"operator\"]");
        assertThat(get(gateway("/api/jobs")).statusCode()).isEqualTo(200);
        assertThat(get(gateway("/api/audit")).statusCode()).isEqualTo(403);
        // a change made with the cookie needs the page's header (CSRF guard); with it the request reaches the resource
        URI cancel = gateway("/api/reprocess/" + UUID.randomUUID() + "/cancel");
        HttpResponse<String> forged = send(HttpRequest.newBuilder(cancel).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains(SessionCsrfCheck.HEADER);
        assertThat(send(HttpRequest.newBuilder(cancel).header(SessionCsrfCheck.HEADER, "seg-gateway-page")
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);

        // sign-out: the cookie is cleared and the browser goes to the issuer's end-session endpoint, then back
        HttpResponse<String> signOut = get(gateway("/signout"));
        assertThat(signOut.statusCode()).isEqualTo(302);
        URI endSession = location(signOut);
        assertThat(endSession.toString()).startsWith(TestTokens.issuer() + "/protocol/openid-connect/logout?");
        Map<String, String> ending = OidcTestIssuer.form(endSession.getRawQuery());
        assertThat(ending).containsKey("id_token_hint");
        assertThat(ending.get("post_logout_redirect_uri")).startsWith(gateway("/").toString());
        assertThat(setCookie(signOut, "q_session")).containsIgnoringCase("Max-Age=0");
        HttpResponse<String> back = get(endSession);
        assertThat(back.statusCode()).isEqualTo(302);
        assertThat(location(back).toString()).startsWith(gateway("/").toString());
        assertThat(sessionCookie()).isNull();
        assertThat(get(gateway("/api/jobs")).statusCode()).isEqualTo(401);
        assertThat(json(get(gateway("/api/session"))).get("user").isNull()).isTrue();
        // the ended session is refused also from a copy of its cookie
        assertThat(withCookie(copied, "/api/jobs").statusCode()).isEqualTo(401);
        assertThat(withCookie(copied, "/api/session").statusCode()).isEqualTo(401);
        // while the page itself still loads with it, and can offer Sign in
        assertThat(withCookie(copied, "/").statusCode()).isEqualTo(200);
        assertThat(withCookie(copied, "/signin.js").statusCode()).isEqualTo(200);
        // the page's own calls get no Basic challenge (no browser password dialog); other clients keep it
        HttpResponse<String> pageCall = send(HttpRequest.newBuilder(gateway("/api/jobs")).header(SessionCsrfCheck.HEADER, "seg-gateway-page"));
        assertThat(pageCall.statusCode()).isEqualTo(401);
        assertThat(pageCall.headers().allValues("WWW-Authenticate")).isNotEmpty().noneMatch(v -> v.toLowerCase().contains("basic"));
        assertThat(get(gateway("/api/jobs")).headers().allValues("WWW-Authenticate")).anyMatch(v -> v.toLowerCase().contains("basic"));

        assertThat(authenticationRows("dr-operator", 2)).containsExactly(
                "user.login dr-operator 127.0.0.1 success [\"operator\"]",
                "user.logout dr-operator 127.0.0.1 success [\"operator\"]");
    }

    @Test
    void aCodeIsExchangedOnlyWithTheVerifierOfItsChallenge() throws Exception {
        // an attacker's own authorization request, with a challenge of a verifier the attacker knows
        String verifier = "attacker-verifier-" + UUID.randomUUID() + UUID.randomUUID();
        URI redirect = gateway("/signin");
        URI own = issuerAuthorize(Map.of("response_type", "code", "client_id", OidcTestIssuer.AUDIENCE, "scope", "openid",
                "redirect_uri", redirect.toString(), "state", "s1", "code_challenge", OidcTestIssuer.s256(verifier),
                "code_challenge_method", "S256"));
        // the issuer itself: a wrong verifier is refused (and spends the code), the right one is taken
        String code = OidcTestIssuer.form(approve(own, "dr-admin").getRawQuery()).get("code");
        HttpResponse<String> wrong = tokenRequest(code, redirect, verifier.replace('a', 'b'));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(json(wrong).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json(wrong).get("error_description").asText()).contains("PKCE");
        assertThat(tokenRequest(code, redirect, verifier).statusCode()).as("a code is taken once only").isEqualTo(400);
        String another = OidcTestIssuer.form(approve(own, "dr-admin").getRawQuery()).get("code");
        assertThat(tokenRequest(another, redirect, verifier).statusCode()).isEqualTo(200);
        // a challenge of another method than S256 is refused up front
        HttpResponse<String> plain = get(URI.create(own.toString().replace("code_challenge_method=S256", "code_challenge_method=plain")));
        assertThat(plain.statusCode()).isEqualTo(400);

        // end to end: the attacker's code injected into a victim's sign-in (with the victim's own state) is refused,
        // because the gateway sends the victim's verifier, which is not the one of the code's challenge
        String injected = OidcTestIssuer.form(approve(own, "dr-admin").getRawQuery()).get("code");
        URI victim = location(get(gateway("/signin")));
        String state = OidcTestIssuer.form(victim.getRawQuery()).get("state");
        int refusalsBefore = pkceRefusals();
        HttpResponse<String> refused = get(URI.create(redirect + "?code=" + injected + "&state=" + state));
        assertThat(pkceRefusals()).as("the gateway's token request refused for its verifier").isEqualTo(refusalsBefore + 1);
        assertNoSessionButAFreshSignIn(refused, state);
        assertThat(refused.statusCode()).isEqualTo(401);
        // a failed sign-in counts as a denied request, as a wrong password does
        assertThat(ApiAuditRows.denied(dataSource, "/signin", 1)).contains("anonymous 127.0.0.1 unauthorized GET /signin 401");
        assertThat(get(gateway("/api/jobs")).statusCode()).isEqualTo(401);

        // and a callback whose state is not the one of the browser's state cookie is refused by the gateway
        URI again = location(get(gateway("/signin")));
        URI callback = approve(again, "dr-admin");
        refusalsBefore = pkceRefusals();
        HttpResponse<String> otherState = get(URI.create(callback.toString().replaceFirst("state=[^&]+", "state=forged")));
        assertThat(otherState.statusCode()).as(otherState.headers().map().toString()).isIn(302, 401);
        assertThat(otherState.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("q_session"));
        assertThat(sessionCookie()).isNull();
        assertThat(pkceRefusals()).as("no token request made").isEqualTo(refusalsBefore);
        assertThat(get(gateway("/api/jobs")).statusCode()).isEqualTo(401);
    }

    /** No session cookie set: 401, or a new sign-in at the issuer with a new state. */
    private void assertNoSessionButAFreshSignIn(HttpResponse<String> response, String oldState) throws Exception {
        assertThat(response.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("q_session"));
        assertThat(sessionCookie()).isNull();
        assertThat(response.statusCode()).isIn(302, 401);
        if (response.statusCode() == 302) {
            URI fresh = location(response);
            assertThat(fresh.toString()).startsWith(TestTokens.issuer() + "/protocol/openid-connect/auth?");
            assertThat(OidcTestIssuer.form(fresh.getRawQuery()).get("state")).isNotEqualTo(oldState);
        }
    }

    private int pkceRefusals() throws Exception {
        return Integer.parseInt(get(URI.create(TestTokens.issuer() + "/test/pkce-refusals")).body().trim());
    }

    /** Submits the issuer's sign-in form for {@code user}; returns where the issuer redirects (the gateway's callback). */
    private URI approve(URI authorize, String user) throws Exception {
        HttpResponse<String> form = get(authorize);
        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        Matcher request = REQUEST_ID.matcher(form.body());
        assertThat(request.find()).isTrue();
        URI approve = authorize.resolve(OidcTestIssuer.APPROVE);
        HttpResponse<String> approved = send(HttpRequest.newBuilder(approve).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("request=" + request.group(1) + "&username=" + user)));
        assertThat(approved.statusCode()).isEqualTo(302);
        return location(approved);
    }

    private URI issuerAuthorize(Map<String, String> parameters) {
        StringBuilder query = new StringBuilder();
        parameters.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return URI.create(TestTokens.issuer() + "/protocol/openid-connect/auth?" + query);
    }

    private HttpResponse<String> tokenRequest(String code, URI redirect, String verifier) throws Exception {
        String body = "grant_type=authorization_code&client_id=" + OidcTestIssuer.AUDIENCE + "&client_secret="
                + OidcTestIssuer.CLIENT_SECRET + "&code=" + code + "&code_verifier=" + verifier + "&redirect_uri="
                + java.net.URLEncoder.encode(redirect.toString(), java.nio.charset.StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(TestTokens.issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private URI gateway(String path) {
        return URI.create(root.toString()).resolve(path);
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI location(HttpResponse<?> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
                "no Location in the " + response.statusCode() + " of " + response.uri()));
        return response.uri().resolve(location);
    }

    /** The Set-Cookie header of the cookie whose name starts with {@code prefix}. */
    private static String setCookie(HttpResponse<?> response, String prefix) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + prefix + " set by " + response.uri() + ": "
                        + response.headers().allValues("Set-Cookie")));
    }

    /** The session cookie(s) in the jar as a Cookie header. */
    private String sessionCookieHeader() {
        return String.join("; ", jar.getCookieStore().getCookies().stream().filter(c -> c.getName().startsWith("q_session"))
                .map(c -> c.getName() + "=" + c.getValue()).toList());
    }

    /** GET with {@code cookie} from a client without a cookie jar. */
    private HttpResponse<String> withCookie(String cookie, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway(path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The session cookie in the jar, or null. */
    private String sessionCookie() {
        return jar.getCookieStore().getCookies().stream().filter(c -> c.getName().startsWith("q_session"))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return new ObjectMapper().readTree(response.body());
    }

    /** "type actor address outcome roles" of the user.login/user.logout rows of {@code user}, once there are {@code expected}. */
    private List<String> authenticationRows(String user, int expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> rows;
        do {
            rows = new ArrayList<>();
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                    select event_type || ' ' || actor || ' ' || coalesce(source_address, '-') || ' ' || outcome || ' '
                           || (details->'roles')::text
                    from audit_events where event_type like 'user.%' and actor = ? order by id""")) {
                s.setString(1, user);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) rows.add(rs.getString(1));
                }
            }
            if (rows.size() >= expected) return rows;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return rows;
    }
}
