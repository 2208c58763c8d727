package org.seggateway.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A provider that advertises no end-session endpoint: the gateway still starts with OIDC on, signs in, and signs out
 * by clearing the session cookie and going straight back to the page.
 */
@QuarkusTest
@TestProfile(OidcWithoutEndSessionTestProfile.class)
class SignOutWithoutEndSessionTest {
    @TestHTTPResource("/")
    URL root;
    final CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    final HttpClient http = HttpClient.newBuilder().cookieHandler(jar).followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void signOutClearsTheSessionAndReturnsToThePage() throws Exception {
        URI authorize = location(get(gateway("/signin")));
        HttpResponse<String> form = get(authorize);
        Matcher request = Pattern.compile("name=\"request\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(request.find()).isTrue();
        HttpResponse<String> approved = http.send(HttpRequest.newBuilder(authorize.resolve(OidcTestIssuer.APPROVE))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("request=" + request.group(1) + "&username=dr-viewer")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get(location(approved)).statusCode()).isEqualTo(303);
        assertThat(get(gateway("/api/studies")).statusCode()).isEqualTo(200);

        HttpResponse<String> signOut = get(gateway("/signout"));
        assertThat(signOut.statusCode()).isEqualTo(302);
        assertThat(location(signOut)).isEqualTo(gateway("/"));
        assertThat(signOut.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("q_session") && c.contains("Max-Age=0"));
        assertThat(jar.getCookieStore().getCookies()).noneMatch(c -> c.getName().startsWith("q_session"));
        assertThat(get(gateway("/api/studies")).statusCode()).isEqualTo(401);
        // signing out again without a session: nothing to end, back to the page
        assertThat(get(gateway("/signout")).statusCode()).isEqualTo(303);
    }

    private URI gateway(String path) {
        return URI.create(root.toString()).resolve(path);
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI location(HttpResponse<?> response) {
        return response.uri().resolve(response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no Location in the " + response.statusCode() + " of " + response.uri())));
    }
}
