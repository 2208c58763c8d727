package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.Orthanc;
import org.seggateway.dicomio.testing.Part10;
import org.seggateway.dicomio.testing.PeerProcess;
import org.seggateway.dicomio.testing.TestCertificates;
import org.seggateway.dicomio.testing.TestCertificates.Party;

/**
 * {@link DicomSender} over DICOM TLS to real peers: DCMTK {@code storescp +tls} that requires our client certificate,
 * and Orthanc with {@code DicomTlsEnabled} (C-STORE, C-FIND and C-MOVE associations over TLS).
 */
class DicomSenderTlsTest {

    @TempDir
    static Path keys;
    static SyntheticSeries.Written series;
    static Party pacs, gateway, stranger;
    static Path trustsPacs, trustsStranger;

    @TempDir
    Path work;

    @BeforeAll
    static void makeKeys() throws Exception {
        series = SyntheticSeries.ct().size(32, 32, 3).write(keys.resolve("ct"));
        pacs = TestCertificates.create(keys, "pacs");
        gateway = TestCertificates.create(keys, "gateway");
        stranger = TestCertificates.create(keys, "stranger");
        trustsPacs = TestCertificates.trustStore(keys.resolve("trusts-pacs.p12"), pacs);
        trustsStranger = TestCertificates.trustStore(keys.resolve("trusts-stranger.p12"), stranger);
    }

    private static DicomSender sender(Path trustStore, Party client, boolean verifyHostName) throws Exception {
        SenderTls tls = SenderTls.load(trustStore, TestCertificates.PASSWORD, client == null ? null : client.keyStore(),
                TestCertificates.PASSWORD, verifyHostName);
        return new DicomSender(SenderOptions.defaults("SEGGATEWAY").withTls(tls));
    }

    private Dcmtk.StoreScp tlsStorescp() throws Exception {
        // DCMTK's default: Non-downgrading BCP 195 profile, peer certificate required (-rc)
        return Dcmtk.storescp("STORESCP", work.resolve("storescp"), work.resolve("storescp.log"), "+tls",
                pacs.key().toString(), pacs.certificate().toString(), "+cf", gateway.certificate().toString());
    }

    @Test
    void storesToStorescpOverTlsWithOurClientCertificate() throws Exception {
        try (Dcmtk.StoreScp scp = tlsStorescp()) {
            StoreResult result = sender(trustsPacs, gateway, true).store(new RemoteAe("127.0.0.1", scp.port(), "STORESCP"),
                    series.files());
            assertThat(result.allStored()).as(result.toString()).isTrue();
            Path received = scp.outputDirectory().resolve("CT." + series.sopInstanceUids().getFirst());
            assertThat(Part10.dataSet(received)).isEqualTo(Part10.dataSet(series.files().getFirst()));
        }
    }

    @Test
    void refusedWithoutAClientCertificateOrWithAnUntrustedPeerOrOverPlainTcp() throws Exception {
        try (Dcmtk.StoreScp scp = tlsStorescp()) {
            RemoteAe peer = new RemoteAe("127.0.0.1", scp.port(), "STORESCP");
            assertThatThrownBy(() -> sender(trustsPacs, null, true).store(peer, series.files()))
                    .isInstanceOf(DicomAssociationException.class).hasMessageContaining("over TLS");
            assertThatThrownBy(() -> sender(trustsStranger, gateway, true).store(peer, series.files()))
                    .isInstanceOf(DicomAssociationException.class).hasMessageContaining("over TLS");
            assertThatThrownBy(() -> new DicomSender("SEGGATEWAY").echo(peer)).isInstanceOf(DicomAssociationException.class);
        }
        try (var files = Files.list(work.resolve("storescp"))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void hostNameMustMatchThePeerCertificateUnlessTurnedOff() throws Exception {
        Party elsewhere = TestCertificates.create(work, "elsewhere"); // SAN names 127.0.0.1 and localhost only
        Path trustsElsewhere = TestCertificates.trustStore(work.resolve("trusts-elsewhere.p12"), elsewhere);
        try (Dcmtk.StoreScp scp = Dcmtk.storescp("STORESCP", work.resolve("storescp"), work.resolve("storescp.log"),
                "+tls", elsewhere.key().toString(), elsewhere.certificate().toString(), "-ic")) {
            RemoteAe byOtherName = new RemoteAe("127.0.0.2", scp.port(), "STORESCP");
            assertThatThrownBy(() -> sender(trustsElsewhere, null, true).echo(byOtherName))
                    .isInstanceOf(DicomAssociationException.class);
            sender(trustsElsewhere, null, false).echo(byOtherName);
        }
    }

    @Test
    void aPeerThatSpeaksOnlyTls11IsRefusedByUs() throws Exception {
        int port = PeerProcess.freePort();
        // SECLEVEL=0 lets OpenSSL 3 serve TLS 1.1 at all: the refusal must come from our side
        try (PeerProcess server = PeerProcess.start("openssl", List.of("openssl", "s_server", "-accept", Integer.toString(port),
                "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-cert", pacs.certificate().toString(), "-key", pacs.key().toString()),
                Map.of(), work.resolve("s_server.log"))) {
            server.awaitPort(port, Duration.ofSeconds(20));
            assertThatThrownBy(() -> sender(trustsPacs, gateway, true).echo(new RemoteAe("127.0.0.1", port, "OLDPACS")))
                    .isInstanceOf(DicomAssociationException.class).hasMessageContaining("over TLS")
                    .rootCause().hasMessageContaining("protocol");
        }
    }

    @Test
    void orthancWithDicomTlsTakesStoreFindAndMoveOverTls() throws Exception {
        AtomicInteger moved = new AtomicInteger();
        try (DicomReceiver receiver = DicomReceiver.start(ReceiverConfig.defaults("GATEWAY", work.resolve("in")),
                instance -> moved.incrementAndGet(), AssociationListener.NONE);
             Orthanc orthanc = Orthanc.start(work.resolve("orthanc"),
                     List.of(new Orthanc.Modality("GATEWAY", "127.0.0.1", receiver.port())), """
                     "DicomTlsEnabled" : true,
                     "DicomTlsCertificate" : "%s",
                     "DicomTlsPrivateKey" : "%s",
                     "DicomTlsTrustedCertificates" : "%s",
                     "DicomTlsRemoteCertificateRequired" : true,
                     """.formatted(pacs.certificate(), pacs.key(), gateway.certificate()))) {
            RemoteAe peer = new RemoteAe("127.0.0.1", orthanc.dicomPort(), Orthanc.AE_TITLE);
            DicomSender sender = sender(trustsPacs, gateway, true);

            assertThat(sender.store(peer, series.files()).allStored()).isTrue();
            assertThat(orthanc.instanceCount()).isEqualTo(3);
            List<Map<String, String>> found = sender.find(peer, QueryLevel.SERIES,
                    Map.of("StudyInstanceUID", series.studyInstanceUid()), List.of("SeriesInstanceUID"));
            assertThat(found).singleElement().extracting(m -> m.get("SeriesInstanceUID"))
                    .isEqualTo(series.seriesInstanceUid());
            MoveResult move = sender.move(peer, "GATEWAY", QueryLevel.SERIES, Map.of("StudyInstanceUID",
                    series.studyInstanceUid(), "SeriesInstanceUID", series.seriesInstanceUid()));
            assertThat(move.completed()).isEqualTo(3);
            assertThat(moved).hasValue(3);

            assertThatThrownBy(() -> sender(trustsPacs, null, true).echo(peer)).isInstanceOf(DicomAssociationException.class);
        }
    }
}
