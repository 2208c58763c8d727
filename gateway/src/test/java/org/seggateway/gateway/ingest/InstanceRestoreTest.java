package org.seggateway.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/** A retrieved instance passes the same checks as a live C-STORE before {@link InstanceRestore} keeps it. */
@QuarkusTest
class InstanceRestoreTest {
    @Inject
    InstanceStore store;
    @Inject
    InstanceRestore restore;
    @TempDir
    Path incoming;

    @Test
    void aRetrievedInstanceWithShortPixelDataIsRefusedLikeALiveOneAndNothingIsKept() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 3).write(incoming.resolve("a"));
        Path truncated = incoming.resolve("truncated.dcm");
        byte[] bytes = Files.readAllBytes(series.files().getFirst());
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 200));
        for (Path f : series.files().subList(1, 3)) store.store(received(f, null, null));

        ReceivedInstance retrieved = received(truncated, series.sopInstanceUids().getFirst(),
                "1.2.840.10008.5.1.4.1.1.2");
        assertThatThrownBy(() -> restore.restore(retrieved, series.seriesInstanceUid()))
                .isInstanceOfSatisfying(InvalidInstanceException.class, e -> assertThat(e.problem())
                        .isEqualTo(InvalidInstanceException.Problem.DOES_NOT_MATCH_SOP_CLASS))
                .hasMessageContaining("Pixel Data");
        assertThat(store.spool().instancePath(series.studyInstanceUid(), series.seriesInstanceUid(),
                series.sopInstanceUids().getFirst(), 1)).doesNotExist();
    }

    @Test
    void aRetrievedInstanceWhoseUidIsNotTheRequestsIsRefused() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 2).write(incoming.resolve("b"));
        store.store(received(series.files().get(1), null, null));
        ReceivedInstance retrieved = received(series.files().getFirst(), "1.2.3.4.5.6.7", null);
        assertThatThrownBy(() -> restore.restore(retrieved, series.seriesInstanceUid()))
                .isInstanceOf(InvalidInstanceException.class).hasMessageContaining("differs from the C-STORE request");
    }

    private static ReceivedInstance received(Path file, String sopInstanceUid, String sopClassUid) {
        return new ReceivedInstance(file, sopClassUid, sopInstanceUid, "1.2.840.10008.1.2.1", "TESTPACS",
                new java.net.InetSocketAddress("127.0.0.1", 4000), 1);
    }
}
