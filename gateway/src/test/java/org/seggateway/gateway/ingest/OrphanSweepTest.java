package org.seggateway.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

@QuarkusTest
class OrphanSweepTest {
    @Inject
    InstanceStore store;
    @Inject
    OrphanSweep sweep;
    @TempDir
    Path dir;

    @Test
    void movesFilesNoRowNamesToQuarantineAndKeepsEveryFileARowNames() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 2).write(dir.resolve("ct"));
        for (Path f : series.files()) store.store(received(f));
        Spool spool = store.spool();
        String study = series.studyInstanceUid(), seriesUid = series.seriesInstanceUid(), sop = series.sopInstanceUids().get(0);
        Path kept0 = spool.instancePath(study, seriesUid, sop, 1);
        Path kept1 = spool.instancePath(study, seriesUid, series.sopInstanceUids().get(1), 1);
        Path crashedVersion = Files.writeString(spool.instancePath(study, seriesUid, sop, 2), "placed, never committed");
        Path crashedInstance = Files.writeString(spool.instancePath(study, seriesUid, "1.2.3.999", 1), "never committed");
        Path stray = Files.writeString(spool.seriesFolder(study, seriesUid).resolve("notes.txt"), "stray");
        Files.createDirectories(spool.root().resolve("incoming"));
        Path incoming = Files.writeString(spool.root().resolve("incoming").resolve("receiving.dcm"), "in flight");

        OrphanSweep.Result result;
        boolean incomingKept;
        try {
            result = sweep.sweep();
        } finally {
            incomingKept = Files.deleteIfExists(incoming); // other tests expect an empty incoming folder
        }
        assertThat(incomingKept).as("the receiver's folder is not the sweep's business").isTrue();

        assertThat(result.quarantined()).isEqualTo(3);
        assertThat(kept0).exists();
        assertThat(kept1).exists();
        for (Path orphan : new Path[]{crashedVersion, crashedInstance, stray}) {
            assertThat(orphan).doesNotExist();
            assertThat(result.quarantineFolder().resolve(spool.root().relativize(orphan))).exists();
        }
        assertThat(sweep.sweep().quarantined()).isZero();
    }

    @Test
    void aNewVersionNeverReplacesAFileInItsWayButQuarantinesIt() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 1).write(dir.resolve("ct"));
        Path target = store.spool().instancePath(series.studyInstanceUid(), series.seriesInstanceUid(), series.sopInstanceUids().get(0), 1);
        Files.createDirectories(target.getParent());
        Files.writeString(target, "left by a crash between placing and committing");
        byte[] sent = Files.readAllBytes(series.files().get(0));

        assertThat(store.store(received(series.files().get(0)))).isEqualTo(StoreOutcome.STORED);

        assertThat(Files.readAllBytes(target)).isEqualTo(sent);
        Path moved = store.spool().root().resolve(Spool.ORPHANS).resolve("in-the-way").resolve(store.spool().root().relativize(target));
        assertThat(moved).hasContent("left by a crash between placing and committing");
    }

    private static ReceivedInstance received(Path file) {
        return new ReceivedInstance(file, null, null, "1.2.840.10008.1.2.1", "CT1", new InetSocketAddress("127.0.0.1", 4000), 1);
    }
}
