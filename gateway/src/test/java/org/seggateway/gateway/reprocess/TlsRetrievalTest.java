package org.seggateway.gateway.reprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.gateway.egress.DimsePeer;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.Orthanc;
import org.seggateway.gateway.egress.DestinationSenders;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.ingest.InstanceRestore;
import org.seggateway.gateway.listener.DicomListener;

/**
 * Reprocessing's C-FIND and C-MOVE to a PACS that speaks DICOM TLS only (Orthanc with {@code DicomTlsEnabled} and a
 * client certificate required), with the destination's {@code tls.*} settings.
 */
@QuarkusTest
@TestProfile(TlsPacsProfile.class)
class TlsRetrievalTest {
    @Inject
    SeriesRetriever retriever;
    @Inject
    DestinationSenders senders;
    @Inject
    GatewayConfig config;
    @Inject
    DicomListener listener;
    @TempDir
    Path dir;

    @Test
    void findAndMoveGoOverTlsAndTheSeriesComesBack() throws Exception {
        Orthanc orthanc = TlsPacsProfile.TlsOrthanc.orthanc();
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 3).write(dir.resolve("ct"));
        GatewayConfig.Destination pacs = config.destinations().get("tls-orthanc");
        RemoteAe peer = DimsePeer.of(pacs);
        // archived in the PACS over TLS too (plain storescu would not get in)
        assertThat(new DicomSender(senders.options("tls-orthanc", pacs, "ARCHIVER")).store(peer, ct.files()).allStored()).isTrue();
        assertThat(Dcmtk.echoscu("ARCHIVER", Orthanc.AE_TITLE, orthanc.dicomPort()).exitCode()).as("plain TCP refused").isNotZero();

        // the gateway has had the series (retrieval brings back only what it once received)
        Dcmtk.Result received = Dcmtk.storescu("MODALITY", "SEGGATEWAY", listener.port(), ct.files());
        assertThat(received.exitCode()).as(received.output()).isZero();

        List<SeriesRetriever.PacsSeries> found = retriever.findSeries(ct.studyInstanceUid());
        assertThat(found).singleElement().satisfies(s -> {
            assertThat(s.seriesInstanceUid()).isEqualTo(ct.seriesInstanceUid());
            assertThat(s.instances()).isEqualTo(3);
        });

        SeriesRetriever.Retrieval retrieval = retriever.retrieve(ct.studyInstanceUid(), ct.seriesInstanceUid());
        assertThat(retrieval.move().isSuccess()).as(retrieval.describe()).isTrue();
        assertThat(retrieval.move().completed()).isEqualTo(3);
        assertThat(retrieval.outcomes().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
        assertThat(retrieval.outcomes()).containsOnlyKeys(InstanceRestore.Outcome.ALREADY_IN_SPOOL);
    }
}
