package org.seggateway.gateway.worklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.gateway.security.TestUsers.asViewer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;

/** The worklist page in Debian's headless chromium (scripts/setup.sh installs chromium and chromium-driver). */
@QuarkusTest
class WorklistPageBrowserTest {

    @Inject
    FinishedStudies studies;
    @Inject
    PipelineFixture pipeline;
    @TestHTTPResource("/")
    URL root;
    @TempDir
    Path dir;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws Exception {
        browser = HeadlessChromium.start(dir, "chromedriver.log");
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) browser.quit();
    }

    @Test
    void signsInFiltersByAccessionAndShowsAFinishedStudyWithItsSegAndThumbnail() throws Exception {
        String accession = "W" + UUID.randomUUID().toString().substring(0, 8);
        SyntheticSeries.Written finished = studies.create(dir.resolve("finished"), accession, "P-W1");
        SyntheticSeries.Written other = studies.create(dir.resolve("other"), "W" + UUID.randomUUID().toString().substring(0, 8), "P-W2");
        String segUid = asViewer().get("/api/studies/" + finished.studyInstanceUid()).then().statusCode(200).extract()
                .jsonPath().getString("series[0].jobs[0].result.segSopInstanceUid");
        assertThat(segUid).isNotBlank();

        signIn();
        wait.until(b -> studyUids().containsAll(List.of(finished.studyInstanceUid(), other.studyInstanceUid())));

        browser.findElement(By.id("accession")).sendKeys(accession);
        browser.findElement(By.id("apply")).click();
        wait.until(b -> studyUids().equals(List.of(finished.studyInstanceUid())));
        // the page replaces the rows on each refresh: read and click a row within one retried step
        String rowText = wait.until(b -> {
            WebElement row = b.findElement(By.cssSelector("#studies tbody tr"));
            String text = row.getText();
            row.click();
            return text;
        });
        assertThat(rowText).contains(accession).contains("P-W1").contains("delivering").contains("test-threshold 1.2.0");
        wait.until(b -> b.findElement(By.id("detail")).isDisplayed());
        assertThat(browser.findElement(By.cssSelector("#detail .deliveries-table tbody tr")).getText()).startsWith("test-pacs pending");
        assertThat(browser.findElement(By.id("detail-uid")).getText()).isEqualTo(finished.studyInstanceUid());
        assertThat(browser.findElement(By.cssSelector("#detail .seg-sop")).getText()).isEqualTo(segUid);
        WebElement thumbnail = browser.findElement(By.cssSelector("#detail img.thumbnail"));
        Long naturalWidth = wait.until(b -> {
            Object width = ((JavascriptExecutor) b).executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0", thumbnail);
            return ((Number) width).longValue() > 0 ? ((Number) width).longValue() : null;
        });
        assertThat(naturalWidth).isEqualTo(FinishedStudies.WIDTH * (ThumbnailRenderer.MIN_SIDE / FinishedStudies.WIDTH));
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();

        // a study arriving later with the same accession number shows up by the page's own refresh (every 10 s)
        SyntheticSeries.Written later = studies.create(dir.resolve("later"), accession, "P-W1");
        wait.withTimeout(Duration.ofSeconds(15)).until(b -> studyUids().equals(List.of(later.studyInstanceUid(), finished.studyInstanceUid())));
    }

    @Test
    void showsTheWarningsOfAJobInTheStudyRowAndInPlainWordsInItsDetail() throws Exception {
        String accession = "G" + UUID.randomUUID().toString().substring(0, 8);
        int w = FinishedStudies.WIDTH, h = FinishedStudies.HEIGHT;
        SyntheticSeries.Written gap = SyntheticSeries.ct().size(w, h, 6).missingSlice(2).patient("Test^Gap", "P-G1", accession)
                .write(dir.resolve("gap"));
        UUID job = pipeline.storeAndComplete(gap).getFirst();
        pipeline.dispatch(job);
        pipeline.storeResult(job, i -> i / (w * h) == 2 && i % w < 3 && i / w % h < 3, java.util.Map.of("total", 0.5));

        signIn();
        browser.findElement(By.id("accession")).sendKeys(accession);
        browser.findElement(By.id("apply")).click();
        wait.until(b -> studyUids().equals(List.of(gap.studyInstanceUid())));
        String rowText = wait.until(b -> {
            WebElement row = b.findElement(By.cssSelector("#studies tbody tr"));
            String text = row.getText();
            row.click();
            return text;
        });
        assertThat(rowText).contains("\u26a0 1 slice interpolated; Liver left out of the SEG");
        wait.until(b -> b.findElement(By.id("detail")).isDisplayed());
        List<String> lines = wait.until(b -> {
            List<String> items = b.findElements(By.cssSelector("#detail td.warnings li")).stream().map(WebElement::getText).toList();
            return items.size() == 2 ? items : null;
        });
        assertThat(lines.get(0)).startsWith("Volume: 1 slice(s) missing").contains("filled by linear interpolation");
        assertThat(lines.get(1)).isEqualTo("SEG: label 1 (Liver): not in the SEG: all 9 of its voxels lie on interpolated slices"
                + " (instances missing from the series), which a SEG frame cannot reference; the segment has no frame");
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
    }

    @Test
    void pagesThroughMoreStudiesThanOnePage() throws Exception {
        String accession = "P" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 12; i++)
            pipeline.store(SyntheticSeries.ct().size(8, 8, 1).patient("Test^Paged", "P-PG", accession).write(dir.resolve("s" + i)));
        List<String> newestFirst = asViewer().queryParam("accession", accession).queryParam("size", 100).get("/api/studies").then()
                .statusCode(200).extract().jsonPath().getList("studies.studyInstanceUid");
        assertThat(newestFirst).hasSize(12);

        signIn();
        browser.findElement(By.id("accession")).sendKeys(accession);
        new Select(browser.findElement(By.id("page-size"))).selectByVisibleText("10");
        wait.until(b -> studyUids().equals(newestFirst.subList(0, 10)));
        assertPaging("studies 1\u201310 of 12", false, true);

        browser.findElement(By.id("next")).click();
        wait.until(b -> studyUids().equals(newestFirst.subList(10, 12)));
        assertPaging("studies 11\u201312 of 12", true, false);

        browser.findElement(By.id("previous")).click();
        wait.until(b -> studyUids().equals(newestFirst.subList(0, 10)));
        assertPaging("studies 1\u201310 of 12", false, true);

        browser.findElement(By.id("next")).click();
        wait.until(b -> studyUids().size() == 2);
        new Select(browser.findElement(By.id("page-size"))).selectByVisibleText("25");
        wait.until(b -> studyUids().equals(newestFirst));
        assertPaging("studies 1\u201312 of 12", false, false);
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
    }

    @Test
    void showsTheReadingColumnsSortsByAHeaderClickAndPagesThroughTheSlicesOfAPlane() throws Exception {
        String accession = "C" + UUID.randomUUID().toString().substring(0, 8);
        int w = FinishedStudies.WIDTH, h = FinishedStudies.HEIGHT;
        SyntheticSeries.Written finished = studies.create(dir.resolve("finished"), accession, "P-C1");
        SyntheticSeries.Written received = SyntheticSeries.ct().size(w, h, 2).patient("Aardvark^Ann", "P-C2", accession)
                .write(dir.resolve("received"));
        pipeline.store(received);

        signIn();
        browser.findElement(By.id("accession")).sendKeys(accession);
        browser.findElement(By.id("apply")).click();
        wait.until(b -> studyUids().equals(List.of(received.studyInstanceUid(), finished.studyInstanceUid())));
        assertThat(browser.findElements(By.cssSelector("#studies thead th")).stream().map(WebElement::getText).toList())
                .containsExactly("Patient name", "Patient ID", "Accession", "Study date", "Description", "Modality", "Body part",
                        "AI status", "Since", "Models", "Measurements", "Warnings", "Received", "Viewer");
        List<String> cells = cellsOf(finished.studyInstanceUid());
        assertThat(cells.subList(0, 8)).containsExactly("Test^Finished", "P-C1", accession, "2024-01-01", "Synthetic phantom", "CT",
                "ABDOMEN", "delivering");
        assertThat(cells.get(8)).as("when the status changed").isNotBlank();
        assertThat(cells.get(9)).isEqualTo("test-threshold 1.2.0");
        assertThat(cells.get(10)).isEqualTo("Liver <0.1 mL");
        assertThat(cells.get(11)).isEmpty();
        assertThat(cells.get(13)).isEqualTo("Open");
        String viewerUrl = "https://viewer.example.org/viewer?StudyInstanceUIDs=" + finished.studyInstanceUid() + "&acc=" + accession;
        assertThat(browser.findElement(By.cssSelector("#studies tbody tr[data-study-uid='" + finished.studyInstanceUid()
                + "'] a.viewer-link")).getAttribute("href")).isEqualTo(viewerUrl);

        // a click on a header sorts by it on the server, a second click the other way round
        browser.findElement(By.cssSelector("#studies th[data-sort='patientName']")).click();
        wait.until(b -> studyUids().equals(List.of(received.studyInstanceUid(), finished.studyInstanceUid())));
        browser.findElement(By.cssSelector("#studies th[data-sort='patientName']")).click();
        wait.until(b -> studyUids().equals(List.of(finished.studyInstanceUid(), received.studyInstanceUid())));
        assertThat(browser.findElement(By.cssSelector("#studies th[data-sort='patientName']")).getAttribute("aria-sort"))
                .isEqualTo("descending");
        browser.findElement(By.cssSelector("#studies th[data-sort='status']")).click();
        wait.until(b -> studyUids().equals(List.of(finished.studyInstanceUid(), received.studyInstanceUid())));
        browser.findElement(By.cssSelector("#studies th[data-sort='status']")).click();
        wait.until(b -> studyUids().equals(List.of(received.studyInstanceUid(), finished.studyInstanceUid())));

        wait.until(b -> {
            b.findElement(By.cssSelector("#studies tbody tr[data-study-uid='" + finished.studyInstanceUid() + "']")).click();
            return true;
        });
        wait.until(b -> b.findElement(By.id("detail")).isDisplayed()
                && finished.studyInstanceUid().equals(b.findElement(By.id("detail-uid")).getText()));
        assertThat(browser.findElement(By.id("detail-viewer")).getAttribute("href")).isEqualTo(viewerUrl);
        assertThat(browser.findElement(By.cssSelector("#detail .measurements-table tbody tr")).getText()).startsWith("Liver ");

        // the axial plane opens on the labelled slice; Home moves its slider to the first slice, which has no overlay
        WebElement axial = wait.until(b -> b.findElement(By.cssSelector("#detail figure.plane-axial img")));
        wait.until(b -> String.valueOf(FinishedStudies.LABELLED_SLICE).equals(axial.getDomAttribute("data-index")) && redPixels(axial) > 0);
        String before = axial.getAttribute("src");
        int scale = ThumbnailRenderer.MIN_SIDE / w;
        assertThat(redPixels(axial)).isEqualTo((long) (FinishedStudies.TO - FinishedStudies.FROM) * (FinishedStudies.TO - FinishedStudies.FROM)
                * scale * scale);
        browser.findElement(By.cssSelector("#detail figure.plane-axial input[type=range]")).sendKeys(Keys.HOME);
        wait.until(b -> "0".equals(axial.getDomAttribute("data-index")) && redPixels(axial) >= 0);
        assertThat(axial.getAttribute("src")).isNotEqualTo(before);
        assertThat(redPixels(axial)).isZero();
        assertThat(browser.findElement(By.cssSelector("#detail figure.plane-axial .plane-index")).getText())
                .isEqualTo("axial 1 / " + FinishedStudies.DEPTH);
        assertThat(browser.findElements(By.cssSelector("#detail figure.plane img"))).hasSize(3);
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
    }

    @Test
    void opensTheDetailWithoutPicturesOnceTheSpoolNoLongerHoldsTheSeries() throws Exception {
        String accession = "D" + UUID.randomUUID().toString().substring(0, 8);
        SyntheticSeries.Written finished = studies.create(dir.resolve("gone"), accession, "P-D1");
        Files.delete(Path.of(pipeline.value("""
                select r.seg_path from results r join jobs j on j.id = r.job_id join series s on s.id = j.series_id
                where s.series_instance_uid = ?""", finished.seriesInstanceUid())));

        signIn();
        browser.findElement(By.id("accession")).sendKeys(accession);
        browser.findElement(By.id("apply")).click();
        wait.until(b -> studyUids().equals(List.of(finished.studyInstanceUid())));
        wait.until(b -> {
            b.findElement(By.cssSelector("#studies tbody tr")).click();
            return true;
        });
        wait.until(b -> b.findElement(By.id("detail")).isDisplayed());
        assertThat(browser.findElement(By.cssSelector("#detail .pictures-unavailable")).getText())
                .startsWith("No pictures of this series:").contains("answered 500");
        assertThat(browser.findElement(By.cssSelector("#detail .deliveries-table tbody tr")).getText()).startsWith("test-pacs pending");
        assertThat(browser.findElements(By.cssSelector("#detail figure.plane"))).isEmpty();
    }

    /** The texts of a study's row cells. */
    @SuppressWarnings("unchecked")
    private List<String> cellsOf(String studyUid) {
        return wait.until(b -> (List<String>) ((JavascriptExecutor) b).executeScript(
                "const r = document.querySelector(`#studies tbody tr[data-study-uid='${arguments[0]}']`);"
                        + "return r ? [...r.cells].map(c => c.textContent) : null", studyUid));
    }

    /** Pixels of the image, as the browser decoded it, that are clearly red (the overlay of label 1); -1 while loading. */
    private long redPixels(WebElement img) {
        Object n = browser.executeScript("""
                const img = arguments[0];
                if (!img.complete || img.naturalWidth === 0) return -1;
                const c = document.createElement('canvas');
                c.width = img.naturalWidth; c.height = img.naturalHeight;
                const g = c.getContext('2d');
                g.drawImage(img, 0, 0);
                const d = g.getImageData(0, 0, c.width, c.height).data;
                let red = 0;
                for (let i = 0; i < d.length; i += 4) if (d[i] > d[i + 1] + 60 && d[i] > d[i + 2] + 60) red++;
                return red;""", img);
        return ((Number) n).longValue();
    }

    private void signIn() {
        browser.get(root.toString());
        wait.until(b -> b.findElement(By.id("login")).isDisplayed());
        browser.findElement(By.id("user")).sendKeys("viewer");
        browser.findElement(By.id("password")).sendKeys("test-viewer");
        browser.findElement(By.id("sign-in")).click();
        wait.until(b -> b.findElement(By.id("worklist")).isDisplayed());
    }

    /** The paging line reads {@code total}, and previous and next are enabled as given (waits for a refresh to settle). */
    private void assertPaging(String total, boolean previousEnabled, boolean nextEnabled) {
        wait.until(b -> b.findElement(By.id("total")).getText().equals(total)
                && b.findElement(By.id("previous")).isEnabled() == previousEnabled
                && b.findElement(By.id("next")).isEnabled() == nextEnabled);
    }

    /** The study UIDs of the table's rows, read in one script so a refresh cannot interleave. */
    @SuppressWarnings("unchecked")
    private List<String> studyUids() {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#studies tbody tr')].map(r => r.dataset.studyUid)");
    }
}
