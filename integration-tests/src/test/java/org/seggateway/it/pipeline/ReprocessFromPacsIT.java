package org.seggateway.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.Orthanc;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.WorkerSettings;
import org.seggateway.local.FreePorts;

/**
 * Batch reprocessing with real peers: a series processed live, then gone from the spool, is reprocessed with
 * {@code bin/seg-gateway reprocess start}: the gateway retrieves it from Orthanc by C-MOVE, a worker on the real broker
 * runs the model again, and Orthanc receives a second SEG, a new series, on the same source instances.
 */
class ReprocessFromPacsIT {
    static final Path PROJECT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    static final String RETRIEVE_AE = "SEGGW-RETRIEVE";

    static Path directory;
    static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        directory = Pipeline.workDirectory(ReprocessFromPacsIT.class);
        int retrievePort = FreePorts.next();
        pipeline = Pipeline.start(directory, Duration.ofSeconds(2), Map.of(
                        "seg-gateway.reprocess.retrieve-from", Pipeline.DESTINATION,
                        "seg-gateway.reprocess.retrieve.ae-title", RETRIEVE_AE,
                        "seg-gateway.reprocess.retrieve.port", Integer.toString(retrievePort),
                        "seg-gateway.reprocess.check-every", "1s",
                        "seg-gateway.reprocess.retrieve.retry-after", "2s"),
                List.of(new Orthanc.Modality(RETRIEVE_AE, "127.0.0.1", retrievePort)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) pipeline.close();
    }

    @Test
    void aSeriesGoneFromTheSpoolIsRetrievedFromThePacsAndGetsASecondSeg() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(96, 96, 40).spacing(1.5, 1.5, 2.0).noise(5, 3)
                .write(directory.resolve("ct"));
        PipelineDatabase db = pipeline.database();
        OrthancContent orthanc = new OrthancContent(pipeline.orthanc());
        try (InferenceWorker worker = new InferenceWorker(WorkerSettings.defaults(pipeline.broker().bootstrapServers(), "it-reprocess"),
                new ThresholdRunner(0))) {
            Thread thread = Thread.ofPlatform().name("it-reprocess-worker").start(worker);

            // live: modality → gateway → SEG version 1 in Orthanc; the CT itself is archived in Orthanc too
            assertThat(pipeline.storescu(ct.files()).exitCode()).isZero();
            PipelineDatabase.Job live = db.awaitJob(ct.seriesInstanceUid(), "done", Duration.ofSeconds(180));
            db.awaitDeliveries(live.id(), "delivered", Duration.ofSeconds(60));
            Dcmtk.Result archived = Dcmtk.storescu(Pipeline.MODALITY_AE, Orthanc.AE_TITLE, pipeline.orthanc().dicomPort(), ct.files());
            assertThat(archived.exitCode()).as(archived.output()).isZero();

            // the spool no longer holds the series (retention, a disk replaced...)
            List<String> spooled = db.rows("select i.spool_path from instances i join series s on s.id = i.series_id"
                    + " where s.series_instance_uid = ?", ct.seriesInstanceUid()).stream().map(List::getFirst).toList();
            assertThat(spooled).hasSize(40);
            for (String file : spooled) Files.delete(Path.of(file));

            Cli dryRun = cli("--study", ct.studyInstanceUid(), "--model", "test-model", "--model-version", "1.2.0",
                    "--reason", "threshold model re-validated", "--dry-run");
            assertThat(dryRun.status()).as(dryRun.output()).isZero();
            assertThat(dryRun.output()).contains("model test-threshold 1.2.0 (test-model): 1 series")
                    .contains(ct.seriesInstanceUid() + " (study " + ct.studyInstanceUid() + "), route " + Pipeline.ROUTE
                            + ", 40 instances from the pacs (40 not in the spool)");

            Cli run = cli("--study", ct.studyInstanceUid(), "--model", "test-model", "--model-version", "1.2.0",
                    "--reason", "threshold model re-validated", "--poll", "1s");
            assertThat(run.status()).as(run.output()).isZero();
            assertThat(run.output()).contains("[" + "#".repeat(30) + "] 1/1 finished: 1 done, 0 failed")
                    .contains(ct.seriesInstanceUid() + " done: SEG series ").contains("(result version 2)");
            worker.close();
            thread.join(10_000);
        }

        List<PipelineDatabase.Job> jobs = db.jobs(ct.seriesInstanceUid());
        assertThat(jobs).as("the retrieval started no live job").hasSize(2).allSatisfy(j -> assertThat(j.state()).isEqualTo("done"));
        String series = ct.seriesInstanceUid();
        String batchJob = db.scalar("select j.id::text from jobs j join series s on s.id = j.series_id where j.batch_id is not null"
                + " and s.series_instance_uid = ?", series);
        db.awaitDeliveries(batchJob, "delivered", Duration.ofSeconds(60));
        for (String file : db.rows("select i.spool_path from instances i join series s on s.id = i.series_id"
                + " where s.series_instance_uid = ?", series).stream().map(List::getFirst).toList())
            assertThat(Path.of(file)).as("restored into the spool").exists();

        List<String> segs = orthanc.segInstances(ct.studyInstanceUid());
        assertThat(segs).hasSize(2);
        String newSop = db.scalar("select seg_sop_instance_uid from results where job_id = ?::uuid", batchJob);
        String newInstance = segs.stream().filter(id -> sop(orthanc, id).equals(newSop)).findFirst().orElseThrow();
        Path seg = orthanc.download(newInstance, directory.resolve("from-orthanc").resolve("seg-v2.dcm"));
        assertThat(SegFile.dciodvfyErrors(seg)).isEmpty();
        assertThat(SegFile.referencedInstances(seg)).isEqualTo(new HashSet<>(ct.sopInstanceUids()));
        assertThat(SegFile.attribute(seg, "0008,103e")).isEqualTo("AI test-threshold 1.2.0");
        assertThat(db.scalar("select count(distinct r.seg_series_instance_uid) from results r join jobs j on j.id = r.job_id"
                + " join series s on s.id = j.series_id where s.series_instance_uid = ?", series)).isEqualTo("2");

        assertThat(db.scalar("select actor || ' ' || (details->>'reason') from audit_events where event_type = 'reprocess.requested'"
                + " and details->'series'->>0 = ?", series))
                .isEqualTo(GatewayProcess.API_USER + " threshold model re-validated");
        assertThat(db.scalar("select outcome || ' ' || (details->>'completed') from audit_events where event_type = 'dicom.move'"
                + " and details->>'seriesInstanceUid' = ?", series))
                .isEqualTo("success 40");
        assertThat(db.scalar("select count(*) from audit_events where event_type = 'dicom.retrieve' and outcome = 'restored'"
                + " and details->>'seriesInstanceUid' = ?", series))
                .isEqualTo("40");
        assertThat(db.scalar("select string_agg(event_type, ',' order by id) from audit_events where details->>'batchId' is not null"
                + " and details->>'seriesInstanceUid' = ? and event_type in ('job.queued', 'job.failed', 'result.stored')", series))
                .isEqualTo("job.queued,result.stored");
    }

    @Test
    void aStudyTheGatewayNeverReceivedIsRetrievedFromThePacsForTheNamedRoute() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(64, 64, 30).spacing(1.5, 1.5, 2.0).write(directory.resolve("archive-ct"));
        Dcmtk.Result archived = Dcmtk.storescu(Pipeline.MODALITY_AE, Orthanc.AE_TITLE, pipeline.orthanc().dicomPort(), ct.files());
        assertThat(archived.exitCode()).as(archived.output()).isZero();
        PipelineDatabase db = pipeline.database();

        Cli withoutRoute = cli("--study", ct.studyInstanceUid(), "--model", "test-model", "--reason", "archive study", "--dry-run");
        assertThat(withoutRoute.status()).as(withoutRoute.output()).isZero();
        assertThat(withoutRoute.output()).contains("0 series").contains("left out: study " + ct.studyInstanceUid()
                + ": no series of this study was received: name the route");

        try (InferenceWorker worker = new InferenceWorker(WorkerSettings.defaults(pipeline.broker().bootstrapServers(), "it-archive"),
                new ThresholdRunner(0))) {
            Thread thread = Thread.ofPlatform().name("it-archive-worker").start(worker);
            Cli run = cli("--study", ct.studyInstanceUid(), "--route", Pipeline.ROUTE, "--model", "test-model", "--reason", "archive study",
                    "--poll", "1s");
            assertThat(run.status()).as(run.output()).isZero();
            assertThat(run.output()).contains(ct.seriesInstanceUid() + " (study " + ct.studyInstanceUid() + "), route " + Pipeline.ROUTE
                    + ", 30 instances from the pacs (30 not in the spool)").contains("1/1 finished: 1 done, 0 failed");
            worker.close();
            thread.join(10_000);
        }

        assertThat(db.jobs(ct.seriesInstanceUid())).as("one batch job, no live job").singleElement()
                .extracting(PipelineDatabase.Job::state).isEqualTo("done");
        assertThat(db.scalar("select instance_count || ' ' || modality || ' ' || (accession_number is not null) || ' ' || calling_ae_title"
                + " from series where series_instance_uid = ?", ct.seriesInstanceUid())).isEqualTo("30 CT true " + Orthanc.AE_TITLE);
        String job = db.jobs(ct.seriesInstanceUid()).getFirst().id();
        db.awaitDeliveries(job, "delivered", Duration.ofSeconds(60));
        OrthancContent orthanc = new OrthancContent(pipeline.orthanc());
        List<String> segs = orthanc.segInstances(ct.studyInstanceUid());
        assertThat(segs).hasSize(1);
        Path seg = orthanc.download(segs.getFirst(), directory.resolve("from-orthanc").resolve("archive-seg.dcm"));
        assertThat(SegFile.dciodvfyErrors(seg)).isEmpty();
        assertThat(SegFile.referencedInstances(seg)).isEqualTo(new HashSet<>(ct.sopInstanceUids()));
        assertThat(db.scalar("select count(*) from audit_events where event_type = 'dicom.retrieve' and outcome = 'added'"
                + " and details->>'seriesInstanceUid' = ?", ct.seriesInstanceUid())).isEqualTo("30");
    }

    @Test
    void aPacsThatIsDownLeavesTheJobWaitingWithTheReasonUntilItIsBack() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(64, 64, 20).write(directory.resolve("pacs-down-ct"));
        PipelineDatabase db = pipeline.database();
        try (InferenceWorker worker = new InferenceWorker(WorkerSettings.defaults(pipeline.broker().bootstrapServers(), "it-pacs-down"),
                new ThresholdRunner(0))) {
            Thread thread = Thread.ofPlatform().name("it-pacs-down-worker").start(worker);
            assertThat(pipeline.storescu(ct.files()).exitCode()).isZero();
            db.awaitJob(ct.seriesInstanceUid(), "done", Duration.ofSeconds(120));
            assertThat(Dcmtk.storescu(Pipeline.MODALITY_AE, Orthanc.AE_TITLE, pipeline.orthanc().dicomPort(), ct.files()).exitCode()).isZero();
            for (List<String> row : db.rows("select i.spool_path from instances i join series s on s.id = i.series_id"
                    + " where s.series_instance_uid = ?", ct.seriesInstanceUid()))
                Files.delete(Path.of(row.getFirst()));

            pipeline.orthanc().stop();
            String batch;
            try {
                Cli started = cli("--study", ct.studyInstanceUid(), "--model", "test-model", "--reason", "PACS down test", "--no-wait");
                assertThat(started.status()).as(started.output()).isZero();
                batch = started.output().lines().filter(l -> l.startsWith("batch ")).findFirst().orElseThrow().substring(6).strip();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                String reason = null;
                while (System.nanoTime() < deadline && (reason == null || !reason.contains("waiting for the PACS"))) {
                    Thread.sleep(500);
                    reason = db.scalar("select reason from jobs where batch_id = ?::uuid", batch);
                }
                assertThat(reason).as("the job's recorded reason while the PACS is down")
                        .startsWith("waiting for the PACS " + Pipeline.DESTINATION + " to retrieve 20 instance(s)");
                assertThat(db.scalar("select state from jobs where batch_id = ?::uuid", batch)).isEqualTo("complete");
                assertThat(db.scalar("select count(*) from audit_events where event_type = 'dicom.move' and outcome = 'unreachable'"
                        + " and details->>'seriesInstanceUid' = ?", ct.seriesInstanceUid())).isNotEqualTo("0");
            } finally {
                pipeline.orthanc().restart();
            }

            Cli status = cli("status", batch, "--wait");
            assertThat(status.status()).as(status.output()).isZero();
            assertThat(status.output()).contains("1/1 finished: 1 done, 0 failed").contains("(result version 2)");
            worker.close();
            thread.join(10_000);
        }
    }

    private static String sop(OrthancContent orthanc, String id) {
        try {
            return orthanc.sopInstanceUid(id);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    record Cli(int status, String output) {
    }

    /**
     * {@code bin/seg-gateway reprocess start ...} (or {@code reprocess status ...} when the arguments start with "status") as
     * an operator runs it (built by Maven before this module).
     */
    private static Cli cli(String... arguments) throws IOException, InterruptedException {
        boolean status = arguments.length > 0 && arguments[0].equals("status");
        List<String> command = new ArrayList<>(List.of(PROJECT.resolve("bin/seg-gateway").toString(), "reprocess", status ? "status" : "start",
                "--gateway", "http://127.0.0.1:" + pipeline.gateway().httpPort(), "--user", GatewayProcess.API_USER));
        command.addAll(List.of(arguments).subList(status ? 1 : 0, arguments.length));
        ProcessBuilder pb = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true);
        pb.environment().put("SEG_GATEWAY_NO_BUILD", "1");
        pb.environment().put("SEG_GATEWAY_PASSWORD", GatewayProcess.API_PASSWORD);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Cli(p.exitValue(), output);
    }
}
