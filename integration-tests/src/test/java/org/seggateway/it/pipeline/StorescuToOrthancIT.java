package org.seggateway.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.seg.SegmentVoxels;
import org.seggateway.dicomio.seg.SegmentationReader;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.ExternalTools;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.WorkerSettings;

/**
 * The product end to end with real peers: DCMTK storescu as the modality sends a CT series to the packaged gateway,
 * which completes it, queues it on a real Kafka broker to a worker, builds the SEG and delivers it to Orthanc as the
 * PACS. What Orthanc holds is checked with dciodvfy and dcmdump, what the gateway recorded in PostgreSQL, and its
 * voxels: the SEG fetched back from Orthanc is decoded by our SEG reader and, independently, by pydicom
 * ({@code dicom-io/src/test/python/seg_roundtrip.py}, frames placed by their Source Image references), and both must
 * equal voxel for voxel the label map that the same network (the {@link ThresholdRunner} stand-in) computes here from
 * the same series read from the sent files.
 */
class StorescuToOrthancIT {
    static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
    static final Path PROJECT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    static Path directory;
    static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        directory = Pipeline.workDirectory(StorescuToOrthancIT.class);
        pipeline = Pipeline.start(directory, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) pipeline.close();
    }

    /** Our reader and pydicom both rebuild, from the SEG Orthanc holds, the label map computed here for the sent series. */
    static void assertVoxelsEqualTheLocalLabelMap(Path seg, Path seriesFolder) throws Exception {
        Volume volume = VolumeReader.readSingleSeries(seriesFolder);
        LabelMap local = ThresholdRunner.labels(volume);
        int[] perLabel = new int[3];
        for (byte b : local.labels()) perLabel[b]++;
        assertThat(perLabel[1]).as("liver voxels in the local label map").isPositive();
        assertThat(perLabel[2]).as("lesion voxels in the local label map").isPositive();

        LabelMap ours = SegmentationReader.read(seg, volume.geometry());
        assertThat(differingVoxels(ours.labels(), local.labels())).as("voxels where our SEG reader differs from the local label map")
                .isZero();
        for (SegmentVoxels s : SegmentationReader.readSegments(seg, volume.geometry()))
            s.sourceBySlice().forEach((z, sop) -> assertThat(sop).as("source of the frame of segment %d on slice %d", s.segmentNumber(), z)
                    .isEqualTo(volume.slices().get(z).sopInstanceUid()));

        Path rebuilt = seg.resolveSibling("pydicom-labels.raw");
        ExternalTools.Run pydicom = ExternalTools.python(PROJECT.resolve("dicom-io/src/test/python/seg_roundtrip.py").toString(),
                seg.toString(), seriesFolder.toString(), rebuilt.toString());
        System.out.println("pydicom: " + pydicom.output().strip());
        assertThat(pydicom.exitCode()).as("pydicom read-back: %s", pydicom.output()).isZero();
        assertThat(differingVoxels(Files.readAllBytes(rebuilt), local.labels()))
                .as("voxels where pydicom's read-back differs from the local label map").isZero();
    }

    static long differingVoxels(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        long n = 0;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) n++;
        return n;
    }

    @Test
    void aSeriesFromStorescuArrivesInOrthancAsAValidSegOnExactlyTheSentInstances() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(128, 128, 120).spacing(1.5, 1.5, 2.0).noise(5, 11)
                .write(directory.resolve("ct"));
        PipelineDatabase db = pipeline.database();
        try (InferenceWorker worker = new InferenceWorker(WorkerSettings.defaults(pipeline.broker().bootstrapServers(), "it-e2e"),
                new ThresholdRunner(0))) {
            Thread thread = Thread.ofPlatform().name("it-e2e-worker").start(worker);

            Dcmtk.Result sent = pipeline.storescu(ct.files());
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            assertThat(db.scalar("""
                    select count(*) from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?""",
                    ct.seriesInstanceUid())).isEqualTo("120");

            PipelineDatabase.Job job = db.awaitJob(ct.seriesInstanceUid(), "done", Duration.ofSeconds(180));
            assertThat(db.awaitDeliveries(job.id(), "delivered", Duration.ofSeconds(60)))
                    .singleElement().satisfies(d -> {
                        assertThat(d.destination()).isEqualTo(Pipeline.DESTINATION);
                        assertThat(d.attempts()).isEqualTo(1);
                    });
            assertThat(db.attempts(job.id())).singleElement()
                    .satisfies(a -> assertThat(a.dicomStatus()).as("C-STORE status").isZero());
            worker.close();
            thread.join(10_000);
        }

        PipelineDatabase.Job job = db.jobs(ct.seriesInstanceUid()).getFirst();
        assertThat(db.jobs(ct.seriesInstanceUid())).hasSize(1);
        assertThat(db.scalar("select route_name || ' ' || model_name || ' ' || model_version from jobs where id = ?::uuid", job.id()))
                .isEqualTo(Pipeline.ROUTE + " test-threshold 1.2.0");
        assertThat(db.scalar("select queued_at < started_at and started_at < finished_at from jobs where id = ?::uuid", job.id()))
                .as("queued, then started (the worker's start record), then finished").isEqualTo("t");
        assertThat(db.scalar("select string_agg(details->>'worker', ',') from audit_events where event_type = 'job.started'"
                + " and details->>'jobId' = ?", job.id())).isEqualTo("it-e2e");
        String segUid = db.scalar("select seg_sop_instance_uid from results where job_id = ?::uuid", job.id());

        OrthancContent orthanc = new OrthancContent(pipeline.orthanc());
        List<String> segs = orthanc.awaitSegInstances(ct.studyInstanceUid(), Duration.ofSeconds(10));
        assertThat(segs).hasSize(1);
        assertThat(orthanc.sopInstanceUid(segs.getFirst())).isEqualTo(segUid);
        assertThat(orthanc.seriesInstanceCount(ct.seriesInstanceUid())).as("the CT itself was not sent to the PACS").isZero();
        String srSeries = db.scalar("select sr_series_instance_uid from results where job_id = ?::uuid", job.id());
        assertThat(srSeries).as("measurement report recorded").isNotBlank();
        assertThat(orthanc.seriesInstanceCount(srSeries)).as("the measurement report went with the SEG").isEqualTo(1);

        Path seg = orthanc.download(segs.getFirst(), directory.resolve("from-orthanc").resolve("seg.dcm"));
        assertThat(SegFile.attribute(seg, "0008,0016")).isEqualTo(SEGMENTATION_STORAGE);
        assertThat(SegFile.dciodvfyErrors(seg)).isEmpty();
        assertThat(SegFile.referencedInstances(seg)).isEqualTo(new HashSet<>(ct.sopInstanceUids()));
        assertVoxelsEqualTheLocalLabelMap(seg, ct.directory());

        assertThat(pipeline.gateway().get("/api/jobs/" + job.id())).contains("\"state\":\"done\"").contains("\"delivered\"");
        assertThat(db.scalar("select count(*) from audit_events where event_type = 'delivery' and outcome = 'delivered'"))
                .isEqualTo("1");
    }
}
