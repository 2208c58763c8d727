package org.seggateway.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.ingest.InvalidInstanceException.Problem;

/** A data set that contradicts its C-STORE request is refused naming the attribute at fault, without its value. */
class ReceivedInstanceChecksTest {
    private static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

    @TempDir
    Path dir;

    @Test
    void aSopClassOtherThanTheRequestsIsRefusedNamingSopClassUid() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 1).write(dir.resolve("ct"));
        InvalidInstanceException e = refusal(series, SECONDARY_CAPTURE, series.sopInstanceUids().getFirst());

        assertThat(e.problem()).isEqualTo(Problem.DOES_NOT_MATCH_SOP_CLASS);
        assertThat(e.errorComment()).isEqualTo("SOP Class UID differs from the request");
        assertThat(e.offendingElements()).containsExactly("SOPClassUID");
        assertThat(e.getMessage()).contains(SECONDARY_CAPTURE);
    }

    @Test
    void aSopInstanceOtherThanTheRequestsIsRefusedNamingSopInstanceUid() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 1).write(dir.resolve("ct"));
        InvalidInstanceException e = refusal(series, null, "1.2.3.4");

        assertThat(e.problem()).isEqualTo(Problem.DOES_NOT_MATCH_SOP_CLASS);
        assertThat(e.errorComment()).isEqualTo("SOP Instance UID differs from the request").doesNotContain("1.2.3.4");
        assertThat(e.offendingElements()).containsExactly("SOPInstanceUID");
    }

    private static InvalidInstanceException refusal(SyntheticSeries.Written series, String requestSopClass,
                                                    String requestSop) throws Exception {
        Path file = series.files().getFirst();
        ReceivedInstance received = new ReceivedInstance(file, requestSopClass, requestSop, "1.2.840.10008.1.2.1",
                "MODALITY", new InetSocketAddress("127.0.0.1", 11112), 1);
        ReceivedHeader header = ReceivedHeader.read(received);
        return catchThrowableOfType(InvalidInstanceException.class, () -> ReceivedInstanceChecks.check(received,
                header.header(), header.sopUid(), header.seriesUid()));
    }
}
