package org.seggateway.gateway.listener;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.AssociationListener;
import org.seggateway.dicomio.net.DicomReceiver;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreResult;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.RawDicomPeer;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.reprocess.SeriesRetriever;

/** The gateway's DICOM listeners take their bounds and caller address lists from {@code seg-gateway.scp.*}. */
@QuarkusTest
@TestProfile(HardenedListenerProfile.class)
class ListenerLimitsTest {
    @Inject
    DicomListener listener;
    @Inject
    GatewayConfig config;
    @Inject
    SeriesRetriever retriever;
    @TempDir
    Path dir;

    @Test
    void callingAeWithAnAddressListIsRejectedFromElsewhereAndOthersGetIn() throws Exception {
        Dcmtk.Result outside = Dcmtk.echoscu("CT01", "SEGGATEWAY", listener.port());
        assertThat(outside.exitCode()).isNotZero();
        assertThat(outside.output()).containsIgnoringCase("Calling AE Title Not Recognized");
        Dcmtk.Result modality = Dcmtk.echoscu("MODALITY", "SEGGATEWAY", listener.port());
        assertThat(modality.exitCode()).as(modality.output()).isZero();
    }

    @Test
    void anInstanceOverTheSizeLimitGetsOutOfResourcesWithTheReason() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(64, 64, 2).write(dir.resolve("ct"));
        StoreResult r = new DicomSender("MODALITY").store(new RemoteAe("127.0.0.1", listener.port(), "SEGGATEWAY"),
                series.files());
        assertThat(r.outcomes()).hasSize(2).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(DimseStatus.OUT_OF_RESOURCES);
            assertThat(o.error()).isEqualTo("data set exceeds the limit of 4096 bytes");
        });
    }

    @Test
    void connectionsBeyondThePerAddressCapAreRefusedTransientlyAndCounted() throws Exception {
        double refusedBefore = refusedMetric();
        List<RawDicomPeer> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) open.add(RawDicomPeer.connect(listener.port()));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (listener.openConnections() < 3 && System.nanoTime() < deadline) Thread.sleep(10);
            try (RawDicomPeer fourth = RawDicomPeer.connect(listener.port())) {
                RawDicomPeer.Pdu answer = fourth.readPdu(Duration.ofSeconds(5));
                assertThat(answer).isNotNull();
                assertThat(answer.isReject(2, 3, 2)).isTrue();
            }
        } finally {
            open.forEach(RawDicomPeer::close);
        }
        assertThat(refusedMetric() - refusedBefore).isEqualTo(1);
    }

    @Test
    void theRetrieveListenerAcceptsOnlyThePacsAeTitle() throws Exception {
        AtomicInteger stored = new AtomicInteger();
        try (DicomReceiver retrieve = DicomReceiver.start(
                retriever.retrieveListenerConfig(config.destinations().get("test-pacs")).withPort(0),
                instance -> stored.incrementAndGet(), AssociationListener.NONE)) {
            Dcmtk.Result intruder = Dcmtk.echoscu("MODALITY", "SEGGW-RETRIEVE", retrieve.port());
            assertThat(intruder.exitCode()).isNotZero();
            assertThat(intruder.output()).containsIgnoringCase("Calling AE Title Not Recognized");
            Dcmtk.Result pacs = Dcmtk.echoscu("TESTPACS", "SEGGW-RETRIEVE", retrieve.port());
            assertThat(pacs.exitCode()).as(pacs.output()).isZero();
            assertThat(retrieve.config().limits().maxDataSetBytes()).isEqualTo(4096);
        }
    }

    private double refusedMetric() {
        String metrics = given().get("/q/metrics").then().extract().body().asString();
        return metrics.lines().filter(l -> l.startsWith("seggateway_dicom_connections_refused_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
