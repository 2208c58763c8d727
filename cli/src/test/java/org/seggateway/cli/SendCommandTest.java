package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.seggateway.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.DicomReceiver;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.ReceiverConfig;
import org.seggateway.dicomio.net.StoreRefusedException;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.Part10;
import org.seggateway.dicomio.testing.PeerProcess;

class SendCommandTest {
    @TempDir
    Path dir;

    @Test
    void sendsEveryDicomFileOfAFolderTreeToStorescp() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(64, 64, 6).write(dir.resolve("in/study/ct"));
        SyntheticSeries.Written mr = SyntheticSeries.mr().size(32, 32, 3).write(dir.resolve("in/mr"));
        Files.writeString(dir.resolve("in/notes.txt"), "not DICOM");
        Path received = dir.resolve("received");

        try (Dcmtk.StoreScp scp = Dcmtk.storescp("PACS", received, dir.resolve("storescp.log"))) {
            CliRun r = run("send", dir.resolve("in").toString(), "--to", "127.0.0.1:" + scp.port(), "--aet", "PACS",
                    "--calling-aet", "SENDER");

            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.err()).contains("skipped 1 file(s)");
            long bytes = ct.bytes() + mr.bytes();
            assertThat(r.out()).containsPattern("sent 9 of 9 files to PACS@127\\.0\\.0\\.1:" + scp.port()
                    + ": " + String.format(java.util.Locale.ROOT, "%.1f", bytes / 1e6).replace(".", "\\.")
                    + " MB in [0-9.]+ s, [0-9.]+ MB/s");
        }
        List<Path> arrived;
        try (Stream<Path> files = Files.list(received)) {
            arrived = files.sorted().toList();
        }
        assertThat(arrived).hasSize(9);
        Set<String> uids = new java.util.HashSet<>(ct.sopInstanceUids());
        uids.addAll(mr.sopInstanceUids());
        assertThat(arrived).extracting(f -> f.getFileName().toString().replaceFirst("^[A-Z]+\\.", ""))
                .containsExactlyInAnyOrderElementsOf(uids);
        Path firstCt = arrived.stream().filter(f -> f.getFileName().toString().endsWith(ct.sopInstanceUids().getFirst()))
                .findFirst().orElseThrow();
        assertThat(Part10.dataSet(firstCt)).isEqualTo(Part10.dataSet(ct.files().getFirst()));
    }

    @Test
    void reportsEachRefusedFileAndExitsNonZero() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 4).write(dir.resolve("in"));
        String refusedUid = ct.sopInstanceUids().get(2);
        ReceiverConfig config = ReceiverConfig.defaults("PICKY", dir.resolve("incoming"));
        try (DicomReceiver scp = DicomReceiver.start(config, instance -> {
            if (instance.sopInstanceUid().equals(refusedUid))
                throw new StoreRefusedException(DimseStatus.CANNOT_UNDERSTAND, "no");
        }, null)) {
            CliRun r = run("send", dir.resolve("in").toString(), "--to", "127.0.0.1:" + scp.port(), "--aet", "PICKY");

            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err().lines()).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("failed: " + ct.files().get(2)).contains(refusedUid).contains("0xC000"));
            assertThat(r.out()).contains("sent 3 of 4 files").contains("1 file(s) not stored");
        }
    }

    @Test
    void failsClearlyWhenNothingListensOrThereIsNothingToSend() throws Exception {
        SyntheticSeries.ct().size(16, 16, 1).write(dir.resolve("in"));
        int port = PeerProcess.freePort();

        CliRun down = run("send", dir.resolve("in").toString(), "--to", "127.0.0.1:" + port, "--aet", "PACS");
        Files.createDirectories(dir.resolve("empty"));
        CliRun empty = run("send", dir.resolve("empty").toString(), "--to", "127.0.0.1:" + port, "--aet", "PACS");

        assertThat(down.status()).isEqualTo(2);
        assertThat(down.err()).contains("error: cannot associate").contains("PACS@127.0.0.1:" + port);
        assertThat(empty.status()).isEqualTo(2);
        assertThat(empty.err()).contains("no DICOM files in");
        assertThatThrownBy(() -> SendCommand.peer("pacs.local", "PACS")).hasMessageContaining("HOST:PORT");
        assertThat(SendCommand.peer("[::1]:104", "PACS").host()).isEqualTo("::1");
    }
}
