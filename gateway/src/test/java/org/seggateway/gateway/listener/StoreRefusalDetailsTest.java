package org.seggateway.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.StorescuResponses;
import org.seggateway.dicomio.testing.StorescuResponses.Response;
import org.seggateway.gateway.NetworkTestProfile;

/**
 * A modality whose instance the gateway refuses can tell why from its own log: DCMTK {@code storescu} reads the
 * status, Error Comment (0000,0902) and Offending Element (0000,0901) the listener answers with.
 */
@QuarkusTest
@TestProfile(NetworkTestProfile.class)
class StoreRefusalDetailsTest {
    @Inject
    DicomListener listener;
    @TempDir
    Path dir;

    @Test
    void eachRefusalNamesItsReasonAndTheAttributeAtFault() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(32, 32, 6).write(dir.resolve("ct"));
        List<Path> files = series.files();
        dcmtk("dcmodify", "-nb", "-e", "(7fe0,0010)", files.get(1).toString());
        dcmtk("dcmodify", "-nb", "-m", "(0008,0018)=1.2.840.99.bad-uid", files.get(2).toString());
        dcmtk("dcmodify", "-nb", "-m", "(0020,000e)=1.2.3\\4.5", files.get(3).toString());
        dcmtk("dcmodify", "-nb", "-e", "(0020,000d)", files.get(4).toString());

        Dcmtk.Result r = Dcmtk.storescu("MODALITY", "SEGGATEWAY", listener.port(), files, "-d", "--no-halt");

        assertThat(StorescuResponses.parse(r.output())).as(r.output()).containsExactly(
                new Response("0x0000", "", List.of()),
                new Response("0xa900", "Pixel Data missing or shorter than the image needs", List.of("(7fe0,0010)")),
                new Response("0xc000", "SOP Instance UID is not a valid UID", List.of("(0008,0018)")),
                new Response("0xc000", "Series Instance UID has several values", List.of("(0020,000e)")),
                new Response("0xc000", "Study Instance UID is missing", List.of("(0020,000d)")),
                new Response("0x0000", "", List.of()));
    }

    private static void dcmtk(String... command) throws Exception {
        Dcmtk.Result r = Dcmtk.run(Duration.ofSeconds(30), List.of(command));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
