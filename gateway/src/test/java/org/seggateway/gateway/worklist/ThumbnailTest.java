package org.seggateway.gateway.worklist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.gateway.security.TestUsers.as;
import static org.seggateway.gateway.security.TestUsers.asViewer;
import static org.seggateway.gateway.worklist.FinishedStudies.FROM;
import static org.seggateway.gateway.worklist.FinishedStudies.TO;
import static org.seggateway.gateway.worklist.FinishedStudies.WIDTH;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.security.Roles;

@QuarkusTest
class ThumbnailTest {
    @Inject
    FinishedStudies studies;
    @Inject
    DataSource dataSource;
    @TempDir
    Path dir;

    private static String url(SyntheticSeries.Written ct) {
        return "/api/studies/" + ct.studyInstanceUid() + "/series/" + ct.seriesInstanceUid() + "/thumbnail.png";
    }

    @Test
    void drawsTheLabelledSliceWithTheSegmentInColourAndRecordsTheRead() throws Exception {
        SyntheticSeries.Written ct = studies.create(dir.resolve("ct"), "T" + UUID.randomUUID().toString().substring(0, 8), "P-T");

        byte[] png = asViewer().get(url(ct)).then().statusCode(200).contentType("image/png").extract().asByteArray();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("decodable PNG").isNotNull();
        int scale = ThumbnailRenderer.MIN_SIDE / WIDTH;
        assertThat(image.getWidth()).isEqualTo(WIDTH * scale);
        assertThat(image.getHeight()).isEqualTo(FinishedStudies.HEIGHT * scale);
        int overlay = 0, grey = 0, other = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y), r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
                boolean labelled = x / scale >= FROM && x / scale < TO && y / scale >= FROM && y / scale < TO;
                if (labelled && r > g + 60 && r > b + 60) overlay++;
                else if (!labelled && r == g && g == b) grey++;
                else other++;
            }
        }
        int labelledPixels = (TO - FROM) * (TO - FROM) * scale * scale;
        assertThat(overlay).as("red overlay pixels over the labelled square").isEqualTo(labelledPixels);
        assertThat(grey).as("plain grey pixels elsewhere").isEqualTo(image.getWidth() * image.getHeight() - labelledPixels);
        assertThat(other).isZero();

        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select count(*) from audit_events where event_type = 'api.read' and study_instance_uid = ? and outcome = 'success'
                and details->>'endpoint' = 'GET /api/studies/{studyUid}/series/{seriesUid}/thumbnail.png'""")) {
            s.setString(1, ct.studyInstanceUid());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void needsTheViewerRoleAndAnswers404ForASeriesWithoutResult() {
        String url = "/api/studies/1.2.3/series/1.2.3.4/thumbnail.png";
        given().get(url).then().statusCode(401);
        as(Roles.AUDITOR).get(url).then().statusCode(403);
        asViewer().get(url).then().statusCode(404);
    }
}
