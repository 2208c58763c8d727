package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Orthanc;
import org.seggateway.dicomio.testing.Part10;

/**
 * {@link DicomSender} and {@link DicomReceiver} against a real Orthanc as the PACS: C-STORE a series into it, C-FIND
 * it back at study and series level, C-MOVE it to our receiver.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrthancInteropTest {

    @TempDir
    static Path dir;
    static SyntheticSeries.Written series;
    static DicomReceiver receiver;
    static Orthanc orthanc;
    static final Map<String, Path> moved = new ConcurrentHashMap<>();

    final DicomSender sender = new DicomSender("SEGGATEWAY");

    @BeforeAll
    static void start() throws Exception {
        series = SyntheticSeries.ct().size(64, 64, 15).write(dir.resolve("ct"));
        Path store = Files.createDirectories(dir.resolve("moved"));
        receiver = DicomReceiver.start(ReceiverConfig.defaults("GATEWAY", dir.resolve("incoming")), instance -> {
            Path target = store.resolve(instance.sopInstanceUid());
            Files.move(instance.file(), target, StandardCopyOption.REPLACE_EXISTING);
            moved.put(instance.sopInstanceUid(), target);
        }, AssociationListener.NONE);
        orthanc = Orthanc.start(dir.resolve("orthanc"),
                List.of(new Orthanc.Modality("GATEWAY", "127.0.0.1", receiver.port())));
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) orthanc.close();
        if (receiver != null) receiver.close();
    }

    private RemoteAe orthancAe() {
        return new RemoteAe("127.0.0.1", orthanc.dicomPort(), Orthanc.AE_TITLE);
    }

    @Test
    @Order(1)
    void echoAndStoreSeriesIntoOrthanc() throws Exception {
        sender.echo(orthancAe());
        StoreResult result = sender.store(orthancAe(), series.files());
        assertThat(result.failures()).isEmpty();
        assertThat(result.outcomes()).extracting(StoreOutcome::status).containsOnly(DimseStatus.SUCCESS);
        assertThat(orthanc.instanceCount()).isEqualTo(series.files().size());
    }

    @Test
    @Order(2)
    void findStudyAndSeries() throws Exception {
        List<Map<String, String>> studies = sender.find(orthancAe(), QueryLevel.STUDY,
                Map.of("PatientID", "PHANTOM001"), List.of("StudyInstanceUID", "AccessionNumber", "StudyDescription"));
        assertThat(studies).singleElement().satisfies(s -> {
            assertThat(s).containsEntry("StudyInstanceUID", series.studyInstanceUid());
            assertThat(s).containsEntry("AccessionNumber", "ACC0001");
        });

        List<Map<String, String>> seriesMatches = sender.find(orthancAe(), QueryLevel.SERIES,
                Map.of("StudyInstanceUID", series.studyInstanceUid()),
                List.of("SeriesInstanceUID", "Modality", "NumberOfSeriesRelatedInstances"));
        assertThat(seriesMatches).singleElement().satisfies(s -> {
            assertThat(s).containsEntry("SeriesInstanceUID", series.seriesInstanceUid());
            assertThat(s).containsEntry("Modality", "CT");
            assertThat(s).containsEntry("NumberOfSeriesRelatedInstances", Integer.toString(series.files().size()));
        });

        assertThat(sender.find(orthancAe(), QueryLevel.SERIES, Map.of("StudyInstanceUID", "1.2.3.999"),
                List.of("SeriesInstanceUID"))).isEmpty();
    }

    @Test
    @Order(3)
    void moveSeriesToOurReceiver() throws Exception {
        MoveResult result = sender.move(orthancAe(), "GATEWAY", QueryLevel.SERIES,
                Map.of("StudyInstanceUID", series.studyInstanceUid(), "SeriesInstanceUID", series.seriesInstanceUid()));

        assertThat(result.status()).isEqualTo(DimseStatus.SUCCESS);
        assertThat(result.completed()).isEqualTo(series.files().size());
        assertThat(result.failed()).isZero();
        assertThat(result.isSuccess()).isTrue();
        assertThat(moved.keySet()).containsExactlyInAnyOrderElementsOf(series.sopInstanceUids());
        for (int i = 0; i < series.files().size(); i++)
            assertThat(Part10.dataSet(moved.get(series.sopInstanceUids().get(i))))
                    .isEqualTo(Part10.dataSet(series.files().get(i)));
    }

    @Test
    @Order(4)
    void moveToUnknownDestinationReportsFailureStatus() throws Exception {
        MoveResult result = sender.move(orthancAe(), "NOSUCHAE", QueryLevel.SERIES,
                Map.of("StudyInstanceUID", series.studyInstanceUid(), "SeriesInstanceUID", series.seriesInstanceUid()));
        assertThat(result.isSuccess()).isFalse();
        assertThat(DimseStatus.isFailure(result.status())).as(DimseStatus.toHex(result.status())).isTrue();
    }

    @Test
    @Order(5)
    void wrongCalledAeIsRejectedByOrthancWithAMessageNamingIt() {
        RemoteAe wrong = new RemoteAe("127.0.0.1", orthanc.dicomPort(), "NOTORTHANC");
        assertThatThrownBy(() -> sender.store(wrong, series.files().subList(0, 1)))
                .isInstanceOf(DicomAssociationException.class)
                .hasMessageContaining("NOTORTHANC@127.0.0.1:" + orthanc.dicomPort());
    }
}
