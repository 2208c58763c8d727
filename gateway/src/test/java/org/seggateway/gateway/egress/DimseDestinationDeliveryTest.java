package org.seggateway.gateway.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.StoreTransferSyntaxes;
import org.seggateway.dicomio.seg.TestSegmentations;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.PeerProcess;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * Deliveries of a real binary SEG to destinations with DIMSE settings, through {@link DeliveryService}: over DICOM TLS
 * to DCMTK {@code storescp +tls} that requires the gateway's client certificate, and deflated to a {@code storescp}
 * that takes deflate only.
 */
@QuarkusTest
@TestProfile(DimseDestinationsTestProfile.class)
class DimseDestinationDeliveryTest {
    @Inject
    DeliveryService deliveries;
    @Inject
    DataSource dataSource;
    @Inject
    GatewayConfig config;
    @TempDir
    Path dir;

    WrittenSegmentation seg;

    @BeforeEach
    void writeSegAndForgetOtherDeliveries() throws Exception {
        seg = TestSegmentations.fiveSegmentSeg(dir.resolve("seg"));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("delete from delivery_attempts");
            s.executeUpdate("delete from deliveries");
        }
    }

    @Test
    void overTlsWithTheGatewaysClientCertificate() throws Exception {
        int port = config.destinations().get("tls-pacs").port().orElseThrow();
        Path received = dir.resolve("tls-pacs");
        long id = TestDeliveries.insert(dataSource, "tls-pacs", Instant.now(), seg.file());
        try (PeerProcess scp = storescp("TLSPACS", port, received, "+tls", DimseDestinationsTestProfile.PACS.key().toString(),
                DimseDestinationsTestProfile.PACS.certificate().toString(), "+cf",
                DimseDestinationsTestProfile.GATEWAY.certificate().toString())) {
            DeliveryAttempt attempt = only(deliveries.deliverDue(later()), id);
            assertThat(attempt.state()).as(attempt.toString()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(attempt.dicomStatus()).isEqualTo(DimseStatus.SUCCESS);
            assertThat(scp.logText()).doesNotContain("TLS connection failed");
        }
        assertSamePixelData(single(received), StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void aTlsDestinationThatDoesNotKnowOurCertificateFailsTheAttempt() throws Exception {
        int port = config.destinations().get("tls-pacs").port().orElseThrow();
        Path received = dir.resolve("tls-pacs-strict");
        long id = TestDeliveries.insert(dataSource, "tls-pacs", Instant.now(), seg.file());
        // trusts only its own certificate, not the gateway's
        try (PeerProcess scp = storescp("TLSPACS", port, received, "+tls", DimseDestinationsTestProfile.PACS.key().toString(),
                DimseDestinationsTestProfile.PACS.certificate().toString(), "+cf",
                DimseDestinationsTestProfile.PACS.certificate().toString())) {
            DeliveryAttempt attempt = only(deliveries.deliverDue(later()), id);
            assertThat(attempt.state()).isEqualTo(DeliveryState.PENDING);
            assertThat(attempt.error()).contains("over TLS");
        }
        assertThat(received).isEmptyDirectory();
    }

    @Test
    void deflatedToADestinationThatListsDeflateFirst() throws Exception {
        int port = config.destinations().get("deflate-pacs").port().orElseThrow();
        Path received = dir.resolve("deflate-pacs");
        Path profile = dir.resolve("deflated-only.cfg");
        Files.writeString(profile, """
                [[TransferSyntaxes]]
                [Deflated]
                TransferSyntax1 = 1.2.840.10008.1.2.1.99
                [[PresentationContexts]]
                [DeflatedSeg]
                PresentationContext1 = 1.2.840.10008.5.1.4.1.1.66.4\\Deflated
                [[Profiles]]
                [DeflatedOnly]
                PresentationContexts = DeflatedSeg
                """);
        long id = TestDeliveries.insert(dataSource, "deflate-pacs", Instant.now(), seg.file());
        try (PeerProcess scp = storescp("DEFLATEPACS", port, received, "-xf", profile.toString(), "DeflatedOnly")) {
            DeliveryAttempt attempt = only(deliveries.deliverDue(later()), id);
            assertThat(attempt.state()).as(attempt.toString()).isEqualTo(DeliveryState.DELIVERED);
        }
        assertSamePixelData(single(received), StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private PeerProcess storescp(String aeTitle, int port, Path out, String... options) throws Exception {
        Files.createDirectories(out);
        List<String> cmd = new ArrayList<>(List.of("storescp", "-aet", aeTitle, "-od", out.toString()));
        cmd.addAll(List.of(options));
        cmd.add(Integer.toString(port));
        PeerProcess p = PeerProcess.start("storescp", cmd, Dcmtk.NODELAY, dir.resolve(aeTitle + ".log"));
        p.awaitPort(port, Duration.ofSeconds(20));
        return p;
    }

    private static Instant later() {
        return Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MICROS);
    }

    private static DeliveryAttempt only(List<DeliveryAttempt> attempts, long id) {
        assertThat(attempts).extracting(DeliveryAttempt::deliveryId).containsExactly(id);
        return attempts.getFirst();
    }

    private static Path single(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList().getFirst();
        }
    }

    private void assertSamePixelData(Path stored, String transferSyntax) throws Exception {
        AttributeList received = new AttributeList();
        received.read(stored.toString());
        AttributeList sent = new AttributeList();
        sent.read(seg.file().toString());
        assertThat(Attribute.getSingleStringValueOrEmptyString(received, TagFromName.TransferSyntaxUID)).isEqualTo(transferSyntax);
        assertThat(Attribute.getSingleStringValueOrEmptyString(received, TagFromName.SOPInstanceUID)).isEqualTo(seg.sopInstanceUid());
        assertThat(received.get(TagFromName.PixelData).getByteValues()).isEqualTo(sent.get(TagFromName.PixelData).getByteValues());
    }
}
