package org.seggateway.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.gateway.queue.JobDispatcher;
import org.seggateway.gateway.queue.PipelineFixture;
import org.seggateway.gateway.queue.RecordingPublisher;
import org.seggateway.inference.queue.ResultHeader;

/** Dispatch (with the queue recorded instead of Kafka) and result handling on the real database. */
@QuarkusTest
class ResultHandlerTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    ResultHandler handler;
    @TempDir
    Path incoming;
    @Inject
    RecordingPublisher queue;
    @Inject
    org.seggateway.gateway.queue.QueuedVolumes queuedVolumes;

    @Test
    void queuesTheVolumeThenBuildsOneSegFromALabelMapHandledTwice() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(48, 40, 12).spacing(2, 2, 3).write(incoming.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();

        assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.QUEUED);
        assertThat(pipeline.state(job)).isEqualTo("queued");
        RecordingPublisher.Published published = queue.published(job.toString());
        assertThat(published.modelName()).isEqualTo("test-threshold");
        assertThat(published.modelVersion()).isEqualTo("1.2.0");
        assertThat(published.volume().geometry().depth()).isEqualTo(12);
        assertThat(pipeline.string("select model_name || ' ' || model_version || ' ' || attempts || ' '"
                + " || cardinality(source_instance_ids) from jobs where id = ?", job)).isEqualTo("test-threshold 1.2.0 1 12");

        LabelMap labels = threshold(published.volume());
        ResultHeader header = ResultHeader.done(job.toString(), "w1", labels.labels().length, 1, Map.of("inference", 1.5, "total", 2.0));
        ResultHandler.PendingResult pending = handler.prepare(job.toString()).orElseThrow();
        ResultHandler.StoredResult stored = handler.store(pending, header, labels).orElseThrow();

        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.destinations()).containsExactly("test-pacs");
        assertThat(stored.segFile()).exists().hasFileName(job + ".dcm");
        assertThat(stored.frameCount()).isPositive();
        assertThat(dciodvfyErrors(stored.segFile())).isEmpty();
        assertThat(pipeline.state(job)).isEqualTo("done");

        // measurements on the source grid, checked against the label map's own voxel counts (spacing 2 x 2 x 3 mm)
        double voxelMl = 2 * 2 * 3 / 1000.0;
        assertThat(stored.measurements()).extracting(SegmentMeasurement::label).containsExactly("Liver", "Lesion");
        for (SegmentMeasurement m : stored.measurements()) {
            long voxels = 0;
            for (byte b : labels.labels()) if ((b & 0xFF) == m.labelValue()) voxels++;
            assertThat(voxels).isPositive();
            assertThat(m.voxelCount()).isEqualTo(voxels);
            assertThat(m.volumeMl()).isCloseTo(voxels * voxelMl, within(1e-9));
            assertThat(m.units()).isEqualTo("HU");
            assertThat(m.connectivity()).isEqualTo(26);
            assertThat(m.components()).isPositive();
        }
        assertThat(stored.measurements().get(0).min()).isGreaterThan(80);
        assertThat(stored.measurements().get(0).max()).isLessThanOrEqualTo(150);
        assertThat(stored.measurements().get(1).min()).isGreaterThan(150);
        assertThat(pipeline.string("select string_agg((m->>'label') || ' ' || (m->>'voxelCount'), ',' order by m->>'labelValue')"
                + " from results r, jsonb_array_elements(r.segment_statistics) m where r.job_id = ?", job))
                .isEqualTo(stored.measurements().stream().map(m -> m.label() + " " + m.voxelCount())
                        .collect(java.util.stream.Collectors.joining(",")));
        // the measurement report beside the SEG, recorded with the result
        assertThat(stored.reportFile()).exists().hasFileName(job + ".sr.dcm");
        assertThat(dciodvfyErrors(stored.reportFile(), "EnhancedSR")).isEmpty();
        assertThat(pipeline.string("select sr_path || ' ' || (sr_sop_instance_uid is not null) || ' '"
                + " || (sr_series_instance_uid <> seg_series_instance_uid) from results where job_id = ?", job))
                .isEqualTo(stored.reportFile() + " true true");
        assertThat(pipeline.string("select stage_seconds->>'inference' from jobs where id = ?", job)).isEqualTo("1.5");
        assertThat(pipeline.string("select (stage_seconds->>'segBuild') is not null and (stage_seconds->>'assemble') is not null from jobs where id = ?", job))
                .isEqualTo("t");

        // the same result again: the consumer restarted before committing, or the job ran twice
        assertThat(handler.prepare(job.toString())).isEmpty();
        assertThat(handler.store(pending, header, labels)).isEmpty();
        assertThat(pipeline.count("select count(*) from results where job_id = ?", job)).isEqualTo(1);
        assertThat(pipeline.string("""
                select string_agg(d.destination || ' ' || d.state || ' ' || (d.next_attempt_at <= now()), ',')
                from deliveries d join results r on r.id = d.result_id where r.job_id = ?""", job)).isEqualTo("test-pacs pending true");
        // a dead letter after the result changes nothing either
        handler.failed(ResultHeader.failed(job.toString(), "w2", 3, "late failure"));
        assertThat(pipeline.state(job)).isEqualTo("done");
        assertThat(pipeline.string("select string_agg(event_type || ' ' || outcome, ',' order by id) from audit_events"
                + " where details->>'jobId' = ?::text", job)).isEqualTo("job.queued queued,result.stored stored");
        assertThat(pipeline.string("select (a.details->>'srSopInstanceUid') = r.sr_sop_instance_uid from audit_events a"
                + " join results r on r.job_id = (a.details->>'jobId')::uuid where a.event_type = 'result.stored' and r.job_id = ?", job))
                .isEqualTo("t");
    }

    @Test
    void theResultTakesTheHeadersAndVolumeTheJobWasQueuedWithOnceAndReadsTheFilesOtherwise() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(32, 32, 6).write(incoming.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        Volume queued = queue.published(job.toString()).volume();
        ResultHandler.PendingResult pending = handler.prepare(job.toString()).orElseThrow();
        assertThat(pending.files()).as("the headers scanned at dispatch").isSameAs(queuedVolumes.files(job).orElseThrow());
        assertThat(pending.layout().geometry().depth()).isEqualTo(6);

        assertThat(handler.readVolume(pending).get(30, TimeUnit.SECONDS)).containsSame(queued);
        assertThat(queuedVolumes.files(job)).as("given up with the volume").isEmpty();
        Volume read = handler.readVolume(pending).get(30, TimeUnit.SECONDS).orElseThrow();
        assertThat(read).as("handed out once: read from the files again").isNotSameAs(queued);
        assertThat(read.int16Voxels()).isEqualTo(queued.int16Voxels());
    }

    @Test
    void aReopenedSeriesGetsTheNextResultVersionOnItsOwnFiles() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(32, 32, 6).write(incoming.resolve("ct"));
        SyntheticSeries.Written first = new SyntheticSeries.Written(ct.directory(), ct.studyInstanceUid(), ct.seriesInstanceUid(),
                ct.frameOfReferenceUid(), ct.sopInstanceUids(), ct.files().subList(0, 5), ct.bytes());
        UUID job1 = pipeline.storeAndComplete(first).getFirst();
        pipeline.dispatch(job1);
        SyntheticSeries.Written late = new SyntheticSeries.Written(ct.directory(), ct.studyInstanceUid(), ct.seriesInstanceUid(),
                ct.frameOfReferenceUid(), ct.sopInstanceUids(), ct.files().subList(5, 6), ct.bytes());
        UUID job2 = pipeline.storeAndComplete(late).getFirst();
        pipeline.dispatch(job2);

        // the first job's result arrives after the series grew: its SEG is built on its own five slices
        Volume v1 = queue.published(job1.toString()).volume(), v2 = queue.published(job2.toString()).volume();
        assertThat(v1.geometry().depth()).isEqualTo(5);
        assertThat(v2.geometry().depth()).isEqualTo(6);
        for (UUID job : List.of(job1, job2)) {
            LabelMap labels = threshold(queue.published(job.toString()).volume());
            handler.store(handler.prepare(job.toString()).orElseThrow(),
                    ResultHeader.done(job.toString(), "w1", labels.labels().length, 1, Map.of()), labels).orElseThrow();
        }
        assertThat(pipeline.string("select version || ' ' || frame_count from results where job_id = ?", job1))
                .startsWith("1 ");
        assertThat(pipeline.string("select version::text from results where job_id = ?", job2)).isEqualTo("2");
    }

    @Test
    void aResultThatOvertakesTheDispatchersMarkWaitsForIt() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 4).write(incoming.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        CompletableFuture<Optional<ResultHandler.StoredResult>> fastWorker = new CompletableFuture<>();
        // the label map arrives while the dispatcher has published but not yet marked the job
        queue.onPublish(id -> Thread.ofPlatform().start(() -> {
            try {
                LabelMap labels = threshold(queue.published(id).volume());
                fastWorker.complete(handler.prepare(id).flatMap(p -> store(p, labels)));
            } catch (Exception e) {
                fastWorker.completeExceptionally(e);
            }
        }));
        try {
            assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.QUEUED);
        } finally {
            queue.onPublish(id -> {
            });
        }
        assertThat(fastWorker.get(30, TimeUnit.SECONDS)).isPresent();
        assertThat(pipeline.state(job)).isEqualTo("done");
        assertThat(pipeline.string("select attempts::text from jobs where id = ?", job)).isEqualTo("1");
    }

    private Optional<ResultHandler.StoredResult> store(ResultHandler.PendingResult job, LabelMap labels) {
        try {
            return handler.store(job, ResultHeader.done(job.jobId().toString(), "fast", labels.labels().length, 1, Map.of()), labels);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theJobsInstantsAreStampedWhenTheirStageEndsNotWhenItsTransactionBegan() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(64, 64, 24).write(incoming.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        long[] published = new long[1];
        queue.onPublish(id -> {
            sleep(300); // a slow publish: queued_at must come after it
            published[0] = System.currentTimeMillis();
        });
        try {
            assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.QUEUED);
        } finally {
            queue.onPublish(id -> {
            });
        }
        assertThat(Long.parseLong(pipeline.string("select (extract(epoch from queued_at) * 1000)::bigint::text from jobs where id = ?", job)))
                .isGreaterThanOrEqualTo(published[0] - 5);

        LabelMap labels = threshold(queue.published(job.toString()).volume());
        long beforeStore = System.currentTimeMillis();
        handler.store(handler.prepare(job.toString()).orElseThrow(),
                ResultHeader.done(job.toString(), "w1", labels.labels().length, 1, Map.of()), labels).orElseThrow();
        double finishedAfterStoreBegan = Double.parseDouble(pipeline.string(
                "select (extract(epoch from finished_at) * 1000)::text from jobs where id = ?", job)) - beforeStore;
        double segBuildMillis = Double.parseDouble(pipeline.string("select stage_seconds->>'segBuild' from jobs where id = ?", job)) * 1000;
        assertThat(segBuildMillis).isPositive();
        assertThat(finishedAfterStoreBegan).as("finished_at after the SEG build").isGreaterThanOrEqualTo(segBuildMillis - 2);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aDeadLetterFailsTheJobWithTheWorkersError() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 4).write(incoming.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        handler.failed(ResultHeader.failed(job.toString(), "gpu-7", 3, "OrtException: out of memory"));
        assertThat(pipeline.state(job)).isEqualTo("failed inference failed after 3 attempt(s) on worker gpu-7: OrtException: out of memory");
        assertThat(pipeline.string("select event_type || ' ' || (details->>'stage') from audit_events"
                + " where details->>'jobId' = ?::text order by id desc limit 1", job)).isEqualTo("job.failed inference");
    }

    @Test
    void aSeriesThatCannotBeAssembledFailsItsJobWithTheReasonAndKeepsItsInstances() throws Exception {
        SyntheticSeries.Written tilted = SyntheticSeries.ct().size(16, 16, 5).gantryTilt(20).write(incoming.resolve("tilt"));
        UUID job = pipeline.storeAndComplete(tilted).getFirst();
        assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.FAILED);
        assertThat(pipeline.state(job)).startsWith("failed series " + tilted.seriesInstanceUid()).containsIgnoringCase("tilt");
        assertThat(queue.published(job.toString())).isNull();
        assertThat(pipeline.count("select count(*) from instances i join jobs j on j.series_id = i.series_id where j.id = ?", job))
                .isEqualTo(5);
    }

    /** Liver (110 HU) 1, lesion (200 HU) 2 of the synthetic phantom: a stand-in for a model's answer on the job's grid. */
    static LabelMap threshold(Volume v) {
        byte[] labels = new byte[(int) v.geometry().voxelCount()];
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) (v.value(i) > 150 ? 2 : v.value(i) > 80 ? 1 : 0);
        return new LabelMap(v.geometry().width(), v.geometry().height(), v.geometry().depth(), labels);
    }

    static List<String> dciodvfyErrors(Path file) throws IOException, InterruptedException {
        return dciodvfyErrors(file, "Segmentation");
    }

    /** dciodvfy's "Error" lines; {@code iod}: what its output must name, so that the file was checked as that IOD. */
    static List<String> dciodvfyErrors(Path file, String iod) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dciodvfy", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("dciodvfy output").contains(iod);
        return out.lines().filter(l -> l.startsWith("Error")).toList();
    }
}
