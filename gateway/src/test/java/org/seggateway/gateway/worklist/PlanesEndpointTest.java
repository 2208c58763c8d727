package org.seggateway.gateway.worklist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.gateway.security.TestUsers.as;
import static org.seggateway.gateway.security.TestUsers.asViewer;
import static org.seggateway.gateway.worklist.FinishedStudies.DEPTH;
import static org.seggateway.gateway.worklist.FinishedStudies.FROM;
import static org.seggateway.gateway.worklist.FinishedStudies.HEIGHT;
import static org.seggateway.gateway.worklist.FinishedStudies.LABELLED_SLICE;
import static org.seggateway.gateway.worklist.FinishedStudies.TO;
import static org.seggateway.gateway.worklist.FinishedStudies.WIDTH;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;
import org.seggateway.gateway.security.Roles;

/** The detail view's plane slices over HTTP: a series from the spool with its stored SEG, every read audited. */
@QuarkusTest
class PlanesEndpointTest {
    @Inject
    FinishedStudies studies;
    @Inject
    PipelineFixture pipeline;
    @TempDir
    Path dir;

    private static String base(SyntheticSeries.Written ct) {
        return "/api/studies/" + ct.studyInstanceUid() + "/series/" + ct.seriesInstanceUid() + "/planes";
    }

    private static BufferedImage png(String url) throws Exception {
        byte[] bytes = asViewer().get(url).then().statusCode(200).contentType("image/png").extract().asByteArray();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("decodable PNG").isNotNull();
        return image;
    }

    private static boolean red(int rgb) {
        int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
        return r > g + 60 && r > b + 60;
    }

    @Test
    void drawsTheOverlayOnTheLabelledSlicesOnlyAndRecordsEachRead() throws Exception {
        SyntheticSeries.Written ct = studies.create(dir.resolve("ct"), "N" + UUID.randomUUID().toString().substring(0, 8), "P-N");

        JsonPath planes = asViewer().get(base(ct)).then().statusCode(200).extract().jsonPath();
        assertThat(planes.getBoolean("ct")).isTrue();
        assertThat(planes.getInt("planes.axial.count")).isEqualTo(DEPTH);
        assertThat(planes.getInt("planes.axial.initial")).isEqualTo(LABELLED_SLICE);
        assertThat(planes.getInt("planes.coronal.count")).isEqualTo(HEIGHT);
        assertThat(planes.getInt("planes.sagittal.count")).isEqualTo(WIDTH);
        assertThat(planes.getInt("planes.sagittal.initial")).isEqualTo((FROM + TO - 1) / 2);

        BufferedImage labelled = png(base(ct) + "/axial/" + LABELLED_SLICE + ".png");
        int k = labelled.getWidth() / WIDTH;
        assertThat(labelled.getHeight()).isEqualTo(HEIGHT * k);
        for (int y = 0; y < labelled.getHeight(); y++)
            for (int x = 0; x < labelled.getWidth(); x++) {
                boolean inSquare = x / k >= FROM && x / k < TO && y / k >= FROM && y / k < TO;
                assertThat(red(labelled.getRGB(x, y))).as("overlay at %d,%d", x, y).isEqualTo(inSquare);
            }
        BufferedImage unlabelled = png(base(ct) + "/axial/0.png");
        for (int y = 0; y < unlabelled.getHeight(); y++)
            for (int x = 0; x < unlabelled.getWidth(); x++) assertThat(red(unlabelled.getRGB(x, y))).isFalse();

        // coronal through the square: the overlay covers columns FROM..TO-1 of one slice's band of rows only
        BufferedImage coronal = png(base(ct) + "/coronal/" + FROM + ".png");
        int overlayRows = 0;
        for (int y = 0; y < coronal.getHeight(); y++) {
            boolean any = false;
            for (int x = 0; x < coronal.getWidth(); x++) {
                boolean isRed = red(coronal.getRGB(x, y));
                if (isRed) assertThat(x / k).as("overlay column at %d,%d", x, y).isBetween(FROM, TO - 1);
                any |= isRed;
            }
            if (any) overlayRows++;
        }
        // 1 mm slices under 0.7 mm pixels: each slice is drawn 1/0.7 times as tall as a pixel is wide, in whole rows
        assertThat(coronal.getHeight()).isEqualTo(Math.round(DEPTH * (1 / 0.7) * k));
        assertThat(overlayRows).as("rows of one slice").isBetween(coronal.getHeight() / DEPTH, coronal.getHeight() / DEPTH + 1);
        BufferedImage coronalOutside = png(base(ct) + "/coronal/" + (TO + 1) + ".png");
        for (int y = 0; y < coronalOutside.getHeight(); y++)
            for (int x = 0; x < coronalOutside.getWidth(); x++) assertThat(red(coronalOutside.getRGB(x, y))).isFalse();

        // a wider window draws the same slice in other greys
        BufferedImage wide = png(base(ct) + "/axial/0.png?window=2000&level=0");
        assertThat(wide.getRGB(0, 0)).isNotEqualTo(unlabelled.getRGB(0, 0));

        assertThat(pipeline.countOf("""
                select count(*) from audit_events where event_type = 'api.read' and actor = 'viewer' and outcome = 'success'
                and study_instance_uid = ? and details->>'endpoint' = 'GET /api/studies/{studyUid}/series/{seriesUid}/planes/{plane}/{index}.png'
                and details->'query'->>'seriesUid' = ?""", ct.studyInstanceUid(), ct.seriesInstanceUid())).isEqualTo(5);
        assertThat(pipeline.countOf("""
                select count(*) from audit_events where event_type = 'api.read' and outcome = 'success' and study_instance_uid = ?
                and details->>'endpoint' = 'GET /api/studies/{studyUid}/series/{seriesUid}/planes'""", ct.studyInstanceUid()))
                .isEqualTo(1);
    }

    @Test
    void refusesABadPlaneOrIndexWithTheReasonAndAudits() throws Exception {
        SyntheticSeries.Written ct = studies.create(dir.resolve("bad"), "B" + UUID.randomUUID().toString().substring(0, 8), "P-B");
        assertThat(badRequest(base(ct) + "/oblique/1.png")).isEqualTo("unknown plane 'oblique'; one of [axial, coronal, sagittal]");
        assertThat(badRequest(base(ct) + "/axial/x.png")).isEqualTo("index is not a whole number: x");
        assertThat(badRequest(base(ct) + "/axial/" + DEPTH + ".png"))
                .isEqualTo("no axial slice " + DEPTH + ": the series has 0 to " + (DEPTH - 1));
        assertThat(badRequest(base(ct) + "/axial/1.png?window=0&level=40")).isEqualTo("window must be 1 to 10000: 0");
        assertThat(pipeline.values("""
                select details->'query'->>'plane' from audit_events where event_type = 'api.read' and outcome = 'bad-request'
                and study_instance_uid = ? order by id""", ct.studyInstanceUid())).isEqualTo(List.of("oblique", "axial", "axial", "axial"));
    }

    private static String badRequest(String url) {
        return asViewer().get(url).then().statusCode(400).extract().jsonPath().getString("error");
    }

    @Test
    void needsTheViewerRoleAndAnswers404ForASeriesWithoutResult() {
        String url = "/api/studies/1.2.3/series/1.2.3.4/planes/axial/0.png";
        given().get(url).then().statusCode(401);
        as(Roles.AUDITOR).get(url).then().statusCode(403);
        asViewer().get(url).then().statusCode(404);
        asViewer().get("/api/studies/1.2.3/series/1.2.3.4/planes").then().statusCode(404);
    }
}
