package org.seggateway.gateway.worklist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless chromium driven by its chromedriver, as the page tests use it. */
final class HeadlessChromium {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver"), CHROMIUM = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {}

    /** A browser with its profile in a new folder under {@code dir}; chromedriver logs to {@code target/<logName>}. */
    static ChromeDriver start(Path dir, String logName) throws IOException {
        assertThat(CHROMEDRIVER).as("chromedriver (Debian chromium-driver, see scripts/setup.sh)").isExecutable();
        assertThat(CHROMIUM).as("chromium (Debian chromium, see scripts/setup.sh)").isExecutable();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File("target", logName)).build();
        return new ChromeDriver(service, options);
    }
}
