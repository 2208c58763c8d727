package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.StorescuResponses;
import org.seggateway.dicomio.testing.StorescuResponses.Response;

/**
 * A refused C-STORE tells the sender why: DCMTK {@code storescu} reads the status, Error Comment (0000,0902) and
 * Offending Element (0000,0901) of each failure response {@link DicomReceiver} sends.
 */
class StoreFailureResponseTest {

    @TempDir
    static Path shared;
    static SyntheticSeries.Written series;

    @TempDir
    Path work;

    @BeforeAll
    static void writeSeries() throws IOException {
        series = SyntheticSeries.ct().size(32, 32, 2).write(shared.resolve("ct"));
    }

    private ReceiverConfig config() {
        return ReceiverConfig.defaults("GATEWAY", work.resolve("incoming"));
    }

    private static List<Response> storescu(DicomReceiver scp) throws Exception {
        Dcmtk.Result r = Dcmtk.storescu("MODALITY", "GATEWAY", scp.port(), series.files(), "-d", "--no-halt");
        List<Response> responses = StorescuResponses.parse(r.output());
        assertThat(responses).as(r.output()).hasSize(series.files().size());
        return responses;
    }

    @Test
    void handlerRefusalReachesTheSenderWithItsCommentAndTheTagsAtFault() throws Exception {
        try (DicomReceiver scp = DicomReceiver.start(config(), instance -> {
            throw new StoreRefusedException(DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "instance " + instance.sopInstanceUid() + " refused (log only)", "SOP Class UID differs from the request",
                    List.of("SOPClassUID", "SOPInstanceUID"));
        }, null)) {
            assertThat(storescu(scp)).containsOnly(new Response("0xa900", "SOP Class UID differs from the request",
                    List.of("(0008,0016)", "(0008,0018)")));
        }
    }

    @Test
    void refusalWithoutAnAttributeAtFaultCarriesNoOffendingElement() throws Exception {
        try (DicomReceiver scp = DicomReceiver.start(config(), instance -> {
            throw new StoreRefusedException(DimseStatus.CANNOT_UNDERSTAND, "DICOM data set cannot be read");
        }, null)) {
            assertThat(storescu(scp)).containsOnly(new Response("0xc000", "DICOM data set cannot be read", List.of()));
        }
    }

    @Test
    void dataSetOverTheSizeLimitIsOutOfResourcesWithTheLimitInTheComment() throws Exception {
        try (DicomReceiver scp = DicomReceiver.start(config().withLimits(ReceiverLimits.defaults().withMaxDataSetBytes(1024)),
                instance -> {
                    throw new AssertionError("a refused data set never reaches the handler");
                }, null)) {
            assertThat(storescu(scp)).containsOnly(
                    new Response("0xa700", "data set exceeds the limit of 1024 bytes", List.of()));
        }
    }

    @Test
    void diskBelowItsFloorIsOutOfResourcesWithTheFreeSpaceInTheComment() throws Exception {
        ReceiverLimits limits = ReceiverLimits.defaults().withDiskFloor(Long.MAX_VALUE / 2, List.of());
        try (DicomReceiver scp = DicomReceiver.start(config().withLimits(limits), instance -> {
            throw new AssertionError("a refused data set never reaches the handler");
        }, null)) {
            assertThat(storescu(scp)).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo("0xa700");
                assertThat(r.errorComment()).startsWith("disk space low: ").contains("MiB free, floor");
                assertThat(r.offendingElements()).isEmpty();
            });
        }
    }

    @Test
    void errorCommentIsCutTo64PrintableCharacters() throws Exception {
        String longReason = "\u00e9" + "x".repeat(80);
        try (DicomReceiver scp = DicomReceiver.start(config(), instance -> {
            throw new StoreRefusedException(DimseStatus.CANNOT_UNDERSTAND, longReason);
        }, null)) {
            assertThat(storescu(scp)).extracting(Response::errorComment).containsOnly("?" + "x".repeat(63));
        }
    }

    @Test
    void anUnknownKeywordForTheOffendingElementIsRefusedWhenTheExceptionIsMade() {
        assertThatThrownBy(() -> new StoreRefusedException(DimseStatus.CANNOT_UNDERSTAND, "x", "x", List.of("NoSuchThing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoSuchThing");
    }
}
