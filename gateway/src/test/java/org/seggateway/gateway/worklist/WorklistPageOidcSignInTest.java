package org.seggateway.gateway.worklist;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.security.OidcTestIssuer;
import org.seggateway.gateway.security.OidcTestProfile;

/**
 * The worklist page in headless chromium with OIDC on: "Sign in" goes through {@link OidcTestIssuer}'s sign-in form
 * (authorization code flow with PKCE), the page shows the worklist with the session cookie, which its script cannot
 * read, and "Sign out" ends the session at the gateway and the issuer.
 */
@QuarkusTest
@TestProfile(OidcTestProfile.class)
class WorklistPageOidcSignInTest {
    @Inject
    FinishedStudies studies;
    @TestHTTPResource("/")
    URL root;
    @TempDir
    Path dir;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws Exception {
        browser = HeadlessChromium.start(dir, "chromedriver-oidc.log");
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) browser.quit();
    }

    @Test
    void signsInThroughTheIdentityProviderSeesTheWorklistAndSignsOut() throws Exception {
        SyntheticSeries.Written finished = studies.create(dir.resolve("finished"), "O" + UUID.randomUUID().toString().substring(0, 8), "P-O1");

        browser.get(root.toString());
        wait.until(b -> b.findElement(By.id("oidc-sign-in")).isDisplayed());
        assertThat(browser.findElement(By.id("user")).isDisplayed()).as("no password field with OIDC on").isFalse();

        browser.findElement(By.id("sign-in-idp")).click();
        wait.until(b -> b.getCurrentUrl().startsWith(issuerBase()));
        browser.findElement(By.id("username")).sendKeys("dr-viewer");
        browser.findElement(By.id("approve")).click();

        wait.until(b -> b.findElement(By.id("worklist")).isDisplayed());
        assertThat(browser.getCurrentUrl()).isEqualTo(root.toString()).doesNotContain("code=");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("dr-viewer");
        wait.until(b -> studyUids().contains(finished.studyInstanceUid()));
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
        Cookie cookie = browser.manage().getCookies().stream().filter(c -> c.getName().startsWith("q_session")).findFirst().orElseThrow();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat((String) browser.executeScript("return document.cookie")).doesNotContain("q_session");
        assertThat((String) browser.executeScript("return JSON.stringify(sessionStorage)")).isEqualTo("{}");

        browser.findElement(By.id("logout")).click();
        wait.until(b -> b.findElement(By.id("oidc-sign-in")).isDisplayed());
        assertThat(browser.manage().getCookies()).noneMatch(c -> c.getName().startsWith("q_session"));
        assertThat(browser.findElement(By.id("worklist")).isDisplayed()).isFalse();
        browser.navigate().refresh();
        wait.until(b -> b.findElement(By.id("oidc-sign-in")).isDisplayed());
        assertThat(browser.findElement(By.id("who")).getText()).isEmpty();

        // a session cookie that no longer holds (here: garbage) leaves the page signed out, and signing in replaces it
        browser.manage().addCookie(new Cookie("q_session", "stale"));
        browser.navigate().refresh();
        wait.until(b -> b.findElement(By.id("oidc-sign-in")).isDisplayed());
        assertThat(browser.findElement(By.id("login-error")).getText()).isEmpty();
        browser.findElement(By.id("sign-in-idp")).click();
        wait.until(b -> b.getCurrentUrl().startsWith(issuerBase()));
        browser.findElement(By.id("username")).sendKeys("dr-admin");
        browser.findElement(By.id("approve")).click();
        wait.until(b -> b.findElement(By.id("worklist")).isDisplayed());
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("dr-admin");
        wait.until(b -> studyUids().contains(finished.studyInstanceUid()));
    }

    private String issuerBase() {
        String issuer = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        return issuer.substring(0, issuer.indexOf("/realms/"));
    }

    @SuppressWarnings("unchecked")
    private List<String> studyUids() {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#studies tbody tr')].map(r => r.dataset.studyUid)");
    }
}
