package org.seggateway.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreResult;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.NetworkTestProfile;
import org.seggateway.gateway.listener.DicomListener;

/**
 * One SOP Instance UID arriving twice at the same time with different bytes, over real associations and through
 * restore: both are kept, as versions 1 and 2, and every row's SHA-256 is that of the file its spool path holds.
 */
@QuarkusTest
@TestProfile(NetworkTestProfile.class)
class ConcurrentIngestTest {
    private static final int ROUNDS = 4, SLICES = 25;

    @Inject
    DicomListener listener;
    @Inject
    InstanceStore store;
    @Inject
    InstanceRestore restore;
    @Inject
    DataSource dataSource;
    @TempDir
    Path dir;

    @Test
    void twoAssociationsSendingOneSopUidWithDifferentBytesKeepBothVersionsIntact() throws Exception {
        RemoteAe gateway = new RemoteAe("127.0.0.1", listener.port(), "SEGGATEWAY");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Variants v = variants(dir.resolve("assoc-" + round));
                Future<StoreResult> a = pool.submit(() -> new DicomSender("MODALITY").store(gateway, v.first()));
                Future<StoreResult> b = pool.submit(() -> new DicomSender("CT01").store(gateway, v.second()));
                assertThat(a.get().failures()).as("first association").isEmpty();
                assertThat(b.get().failures()).as("second association").isEmpty();
                assertBothVersionsIntact(v);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoConcurrentRestoresOfOneSopUidWithDifferentBytesKeepBothVersionsIntact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Variants v = variants(dir.resolve("restore-" + round));
                recordSeries(v.series()); // as a reprocessing batch records a series it retrieves
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Void> a = pool.submit(restoreAll(v.first(), v.series().seriesInstanceUid(), start));
                Future<Void> b = pool.submit(restoreAll(v.second(), v.series().seriesInstanceUid(), start));
                a.get();
                b.get();
                assertBothVersionsIntact(v);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Callable<Void> restoreAll(List<Path> files, String seriesUid, CyclicBarrier start) {
        return () -> {
            start.await();
            for (Path f : files) restore.restore(received(f), seriesUid);
            return null;
        };
    }

    /** A series, and for each of its instances a second file with the same UIDs and one pixel changed. */
    private record Variants(SyntheticSeries.Written series, List<Path> first, List<Path> second, Map<String, Set<String>> digests) {}

    private static Variants variants(Path folder) throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, SLICES).write(folder.resolve("a"));
        Files.createDirectories(folder.resolve("b"));
        List<Path> second = new ArrayList<>();
        Map<String, Set<String>> digests = new HashMap<>();
        for (int i = 0; i < series.files().size(); i++) {
            Path a = series.files().get(i), b = folder.resolve("b").resolve(a.getFileName());
            byte[] bytes = Files.readAllBytes(a);
            bytes[bytes.length - 1] ^= 0x55;
            Files.write(b, bytes);
            second.add(b);
            digests.put(series.sopInstanceUids().get(i), Set.of(DataSetDigest.sha256(a), DataSetDigest.sha256(b)));
        }
        return new Variants(series, series.files(), second, digests);
    }

    private void assertBothVersionsIntact(Variants v) throws Exception {
        for (Map.Entry<String, Set<String>> sop : v.digests().entrySet()) {
            List<Integer> versions = new ArrayList<>();
            List<String> shas = new ArrayList<>();
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "select version, sha256, spool_path from instances where sop_instance_uid = ? order by version")) {
                s.setString(1, sop.getKey());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        versions.add(rs.getInt(1));
                        shas.add(rs.getString(2));
                        Path file = Path.of(rs.getString(3));
                        assertThat(file).as("spool file of %s v%d", sop.getKey(), rs.getInt(1)).exists();
                        assertThat(DataSetDigest.sha256(file)).as("SHA-256 of %s", file).isEqualTo(rs.getString(2));
                    }
                }
            }
            assertThat(versions).as("versions of %s", sop.getKey()).containsExactly(1, 2);
            assertThat(shas).as("digests of %s", sop.getKey()).containsExactlyInAnyOrderElementsOf(sop.getValue());
        }
    }

    private void recordSeries(SyntheticSeries.Written series) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into series (series_instance_uid, study_instance_uid, calling_ae_title, state, first_received_at,
                                    last_received_at, completed_at)
                values (?, ?, 'PACS', 'complete', now(), now(), now())""")) {
            s.setString(1, series.seriesInstanceUid());
            s.setString(2, series.studyInstanceUid());
            s.executeUpdate();
        }
    }

    private static ReceivedInstance received(Path file) throws Exception {
        Path copy = Files.createTempFile(file.getParent(), "received", ".dcm");
        Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new ReceivedInstance(copy, null, null, "1.2.840.10008.1.2.1", "PACS",
                new InetSocketAddress("127.0.0.1", 4000), 1);
    }
}
