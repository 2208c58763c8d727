package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.PeerProcess;
import org.seggateway.dicomio.testing.Part10;

/** {@link DicomSender} against DCMTK {@code storescp} (a real peer) and against our own {@link DicomReceiver}. */
class DicomSenderTest {

    @TempDir
    static Path dir;
    static SyntheticSeries.Written series;
    static Dcmtk.StoreScp storescp;

    final DicomSender sender = new DicomSender("SEGGATEWAY");

    @BeforeAll
    static void start() throws Exception {
        series = SyntheticSeries.ct().size(64, 64, 10).write(dir.resolve("ct"));
        storescp = Dcmtk.storescp("STORESCP", dir.resolve("storescp"), dir.resolve("storescp.log"));
    }

    @AfterAll
    static void stop() {
        if (storescp != null) storescp.close();
    }

    private RemoteAe storescpAe() {
        return new RemoteAe("127.0.0.1", storescp.port(), "STORESCP");
    }

    @Test
    void echoSucceedsAgainstStorescp() throws IOException {
        sender.echo(storescpAe());
    }

    @Test
    void peerDownGivesAnExceptionNamingHostPortAndAeTitle() throws IOException {
        int closed = PeerProcess.freePort();
        RemoteAe nobody = new RemoteAe("127.0.0.1", closed, "NOBODY");
        assertThatThrownBy(() -> sender.store(nobody, series.files()))
                .isInstanceOf(DicomAssociationException.class)
                .hasMessageContaining("NOBODY@127.0.0.1:" + closed).hasMessageContaining("SEGGATEWAY");
        assertThatThrownBy(() -> sender.echo(nobody)).hasMessageContaining("NOBODY@127.0.0.1:" + closed);
    }

    @Test
    void seriesStoredToStorescpWithSuccessPerFileAndIdenticalDataSets() throws IOException {
        StoreResult result = sender.store(storescpAe(), series.files());

        assertThat(result.outcomes()).hasSize(series.files().size()).allSatisfy(o -> {
            assertThat(o.status()).as(o.toString()).isEqualTo(DimseStatus.SUCCESS);
            assertThat(o.stored()).isTrue();
        });
        assertThat(result.outcomes()).extracting(StoreOutcome::sopInstanceUid).containsExactlyElementsOf(series.sopInstanceUids());
        for (int i = 0; i < series.files().size(); i++) {
            Path received = storescp.outputDirectory().resolve("CT." + series.sopInstanceUids().get(i));
            assertThat(received).exists();
            assertThat(Part10.dataSet(received)).isEqualTo(Part10.dataSet(series.files().get(i)));
        }
    }

    @Test
    void unreadableFileIsReportedAndTheOthersAreStillSent() throws IOException {
        Path notDicom = Files.writeString(dir.resolve("notes.txt"), "not a DICOM file");
        Path missing = dir.resolve("missing.dcm");
        List<Path> files = new ArrayList<>(series.files().subList(0, 3));
        files.add(1, notDicom);
        files.add(missing);

        StoreResult result = sender.store(storescpAe(), files);

        assertThat(result.outcomes()).hasSize(5);
        assertThat(result.failures()).extracting(StoreOutcome::file).containsExactly(notDicom, missing);
        assertThat(result.failures()).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(DimseStatus.NO_RESPONSE);
            assertThat(o.error()).startsWith("not sent, unreadable");
        });
        assertThat(result.storedCount()).isEqualTo(3);
    }

    @Test
    void perFileStatusesFromOurReceiverIncludingARefusalAndAnAbort() throws Exception {
        String refused = series.sopInstanceUids().get(1);
        String crashing = series.sopInstanceUids().get(4);
        Map<String, Path> stored = new ConcurrentHashMap<>();
        StorageHandler handler = instance -> {
            if (instance.sopInstanceUid().equals(refused))
                throw new StoreRefusedException(DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, "refused by test");
            if (instance.sopInstanceUid().equals(crashing)) throw new IOException("database down (simulated)");
            stored.put(instance.sopInstanceUid(), instance.file());
        };
        try (DicomReceiver scp = DicomReceiver.start(ReceiverConfig.defaults("GATEWAY", dir.resolve("incoming")),
                handler, AssociationListener.NONE)) {
            StoreResult result = sender.store(new RemoteAe("127.0.0.1", scp.port(), "GATEWAY"), series.files());

            List<StoreOutcome> o = result.outcomes();
            assertThat(o.get(0).status()).isEqualTo(DimseStatus.SUCCESS);
            assertThat(o.get(1).status()).isEqualTo(0xA900);
            assertThat(o.get(1).stored()).isFalse();
            assertThat(o.get(2).status()).isEqualTo(DimseStatus.SUCCESS);
            assertThat(o.get(3).status()).isEqualTo(DimseStatus.SUCCESS);
            assertThat(o.subList(4, o.size())).allSatisfy(rest -> {
                assertThat(rest.status()).isEqualTo(DimseStatus.NO_RESPONSE);
                assertThat(rest.error()).contains("GATEWAY@127.0.0.1:" + scp.port()).contains("lost");
            });
        }
        assertThat(stored).containsOnlyKeys(series.sopInstanceUids().get(0), series.sopInstanceUids().get(2),
                series.sopInstanceUids().get(3));
    }

    @Test
    void tcpNoDelayCanBeTurnedOffForMeasurement() throws IOException {
        DicomSender nagle = new DicomSender(SenderOptions.defaults("SEGGATEWAY").withTcpNoDelay(false));
        assertThat(nagle.store(storescpAe(), series.files().subList(0, 2)).allStored()).isTrue();
    }

    static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.toList();
        }
    }
}
