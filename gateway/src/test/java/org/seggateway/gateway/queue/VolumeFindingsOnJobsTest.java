package org.seggateway.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.gateway.security.TestUsers.asViewer;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.uid.UidGenerator;

/** What the volume reader refuses or repairs, and what the SEG leaves out, as the job records it and the API shows it. */
@QuarkusTest
class VolumeFindingsOnJobsTest {
    static final int W = 16, H = 16;

    @Inject
    PipelineFixture pipeline;
    @TempDir
    Path incoming;

    @Test
    void aSeriesMixingFramesOfReferenceFailsItsJobWithTheReasonInApiJobs() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(W, H, 6).write(incoming.resolve("ct"));
        String other = new UidGenerator().next();
        for (Path file : ct.files().subList(4, 6)) setFrameOfReference(file, other);
        UUID job = pipeline.storeAndComplete(ct).getFirst();

        assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.FAILED);

        JsonPath json = asViewer().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath();
        assertThat(json.getString("state")).isEqualTo("failed");
        assertThat(json.getString("reason")).contains("images of 2 Frames of Reference in one series")
                .contains("4 image(s) in " + ct.frameOfReferenceUid()).contains("2 image(s) in " + other);
        assertThat(asViewer().queryParam("state", "failed").queryParam("size", 500).get("/api/jobs").then().statusCode(200)
                .extract().jsonPath().getList("jobs.id")).contains(job.toString());
    }

    @Test
    void aSeriesWithAGapGetsItsWarningsAndTheLabelsLeftOutOnTheJobInApiJobsAndApiStudies() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(W, H, 6).missingSlice(2).write(incoming.resolve("gap"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.QUEUED);
        // label 1 on 4 voxels of slice 1 (acquired) and 4 of slice 2 (interpolated: the SEG cannot carry them)
        pipeline.storeResult(job, i -> {
            int x = i % W, y = i / W % H, z = i / (W * H);
            return (z == 1 || z == 2) && x < 2 && y < 2;
        }, Map.of("total", 0.5));

        JsonPath json = asViewer().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath();
        assertThat(json.getString("state")).isEqualTo("done");
        List<Map<String, String>> warnings = json.getList("warnings");
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).containsEntry("stage", "volume");
        assertThat(warnings.get(0).get("message")).startsWith("1 slice(s) missing").contains("filled by linear interpolation")
                .doesNotContain(ct.seriesInstanceUid());
        assertThat(warnings.get(1)).containsEntry("stage", "seg").containsEntry("message",
                "label 1 (Liver): 4 of its 8 voxels lie on interpolated slices (instances missing from the series) and are not in the SEG");
        assertThat(asViewer().queryParam("state", "done").queryParam("size", 500).get("/api/jobs").then().statusCode(200)
                .extract().jsonPath().getList("jobs.find { it.id == '" + job + "' }.warnings.stage")).containsExactly("volume", "seg");

        JsonPath study = asViewer().get("/api/studies/" + ct.studyInstanceUid()).then().statusCode(200).extract().jsonPath();
        assertThat(study.getList("series[0].jobs[0].warnings.message")).isEqualTo(warnings.stream().map(w -> w.get("message")).toList());
        assertThat(study.getList("series[0].jobs[0].warnings.stage")).containsExactly("volume", "seg");
    }

    @Test
    void aJobWithoutFindingsHasNoWarnings() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(W, H, 4).write(incoming.resolve("clean"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        pipeline.storeResult(job, i -> i == 0, Map.of("total", 0.5));

        assertThat(asViewer().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath().getList("warnings")).isEmpty();
    }

    @Test
    void aSeriesBeyondTheInterpolationLimitFailsItsJobNamingTheLimit() throws Exception {
        // 6 of 20 slices missing, each gap a single slice: 30% interpolated, above the default 25%
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(W, H, 20).write(incoming.resolve("gaps"));
        for (int i : new int[] {1, 3, 5, 7, 9, 11}) Files.delete(ct.files().get(i));
        UUID job = pipeline.storeAndComplete(new SyntheticSeries.Written(ct.directory(), ct.studyInstanceUid(), ct.seriesInstanceUid(),
                ct.frameOfReferenceUid(), ct.sopInstanceUids(), ct.files().stream().filter(Files::exists).toList(), ct.bytes())).getFirst();

        assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.FAILED);

        assertThat(asViewer().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath().getString("reason"))
                .contains("6 of 20 slices are missing and would be interpolated (30%), more than the limit of 25% of the depth"
                        + " (volume limit max-interpolated-fraction)");
    }

    static void setFrameOfReference(Path file, String uid) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        UniqueIdentifierAttribute a = new UniqueIdentifierAttribute(TagFromName.FrameOfReferenceUID);
        a.addValue(uid);
        list.put(a);
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "SEGGATEWAYTEST");
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }
}
