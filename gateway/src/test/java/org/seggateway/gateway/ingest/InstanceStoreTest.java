package org.seggateway.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;

@QuarkusTest
class InstanceStoreTest {
    @Inject
    InstanceStore store;
    @Inject
    DataSource dataSource;
    @TempDir
    Path incoming;

    @Test
    void storesDeduplicatesAndVersionsInstances() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 3).write(incoming.resolve("a"));
        Path sameBytes = Files.copy(series.files().get(0), incoming.resolve("same.dcm"));
        Path changed = Files.copy(series.files().get(0), incoming.resolve("changed.dcm"));
        byte[] bytes = Files.readAllBytes(changed);
        bytes[bytes.length - 1] ^= 0x7f;
        Files.write(changed, bytes);

        for (Path f : series.files()) assertThat(store.store(received(f))).isEqualTo(StoreOutcome.STORED);
        assertThat(store.store(received(sameBytes))).isEqualTo(StoreOutcome.DUPLICATE);
        assertThat(sameBytes).doesNotExist();
        assertThat(store.store(received(changed))).isEqualTo(StoreOutcome.NEW_VERSION);

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select instance_count, state from series where series_instance_uid = '"
                     + series.seriesInstanceUid() + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(4);
            assertThat(rs.getString(2)).isEqualTo("receiving");
        }
        String sop = series.sopInstanceUids().get(0);
        Path version1 = store.spool().instancePath(series.studyInstanceUid(), series.seriesInstanceUid(), sop, 1);
        Path version2 = store.spool().instancePath(series.studyInstanceUid(), series.seriesInstanceUid(), sop, 2);
        assertThat(version1).exists();
        assertThat(Files.readAllBytes(version2)).isEqualTo(bytes);
        assertThat(series.files()).allSatisfy(f -> assertThat(f).doesNotExist());
    }

    @Test
    void refusesAnInstanceWithAnInvalidUidAndKeepsNothing() throws Exception {
        Path file = incoming.resolve("bad.dcm");
        Files.writeString(file, "not DICOM at all");
        assertThatThrownBy(() -> store.store(received(file))).isInstanceOf(InvalidInstanceException.class)
                .hasMessageContaining("SOP Instance UID");
        assertThatThrownBy(() -> store.spool().instancePath("1.2", "1.3", "../../etc/passwd", 1))
                .isInstanceOf(InvalidInstanceException.class).hasMessageContaining("not a valid UID");
    }

    @Test
    void refusesAUidOfSeveralValuesInsteadOfKeepingItsFirst() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 1).write(incoming.resolve("multi"));
        Path file = series.files().get(0);
        Dcmtk.Result r = Dcmtk.run(java.time.Duration.ofSeconds(30), java.util.List.of("dcmodify", "-nb", "-m",
                "(0008,0018)=1.2.3\\4.5", file.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThatThrownBy(() -> store.store(received(file))).isInstanceOf(InvalidInstanceException.class)
                .hasMessageContaining("SOP Instance UID has 2 values");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from instances where sop_instance_uid = '1.2.3'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    private static ReceivedInstance received(Path file) {
        return new ReceivedInstance(file, null, null, "1.2.840.10008.1.2.1", "CT1",
                new java.net.InetSocketAddress("127.0.0.1", 4000), 1);
    }
}
