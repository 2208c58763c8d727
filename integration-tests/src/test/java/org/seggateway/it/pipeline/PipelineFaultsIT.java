package org.seggateway.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.WorkerSettings;

/**
 * Faults on the way of one series, with the real peers of {@link Pipeline}: a worker killed holding the job, Orthanc
 * down when the SEG is ready, the gateway killed between the last C-STORE and series completion, malformed instances
 * in a series. Each test checks what the gateway recorded (jobs, results, deliveries, attempts, audit) and what the
 * PACS received.
 */
class PipelineFaultsIT {
    /** Long enough that the gateway can be killed between the last C-STORE and completion. */
    static final Duration QUIET_TIME = Duration.ofSeconds(4);
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);   // generous: CI machines may be busy

    static Path directory;
    static Pipeline pipeline;
    static PipelineDatabase db;
    static OrthancContent orthanc;

    @BeforeAll
    static void start() throws Exception {
        directory = Pipeline.workDirectory(PipelineFaultsIT.class);
        pipeline = Pipeline.start(directory, QUIET_TIME);
        db = pipeline.database();
        orthanc = new OrthancContent(pipeline.orthanc());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) pipeline.close();
    }

    @Test
    void aWorkerKilledHoldingTheJobIsReplacedAndTheJobCompletesOnce() throws Exception {
        SyntheticSeries.Written ct = series("killed-worker", 100);
        String jobId;
        try (WorkerProcess slow = WorkerProcess.start(pipeline.broker().bootstrapServers(), "slow", Duration.ofMinutes(10),
                directory.resolve("workers").resolve("slow.log"))) {
            assertThat(pipeline.storescu(ct.files()).exitCode()).isZero();
            jobId = slow.awaitJobStarted(JOB_TIMEOUT);
            assertThat(db.awaitJob(ct.seriesInstanceUid(), "running", JOB_TIMEOUT).id()).isEqualTo(jobId);
            assertThat(db.jobs(ct.seriesInstanceUid())).hasSize(1);
            slow.kill();
        }
        assertThat(db.scalar("select count(*) from results where job_id = ?::uuid", jobId)).isEqualTo("0");

        try (WorkerProcess fast = WorkerProcess.start(pipeline.broker().bootstrapServers(), "fast", Duration.ZERO,
                directory.resolve("workers").resolve("fast.log"))) {
            assertThat(fast.awaitJobStarted(JOB_TIMEOUT)).isEqualTo(jobId);
            assertThat(db.awaitJob(ct.seriesInstanceUid(), "done", JOB_TIMEOUT).id()).isEqualTo(jobId);
            db.awaitDeliveries(jobId, "delivered", JOB_TIMEOUT);
            Thread.sleep(2000); // a second answer to the same job would show up as a second result or SEG by now
        }
        assertThat(db.jobs(ct.seriesInstanceUid())).singleElement().extracting(PipelineDatabase.Job::state).isEqualTo("done");
        assertThat(db.scalar("""
                select count(*) from results r join jobs j on j.id = r.job_id join series s on s.id = j.series_id
                where s.series_instance_uid = ?""", ct.seriesInstanceUid())).isEqualTo("1");
        assertThat(db.deliveries(jobId)).singleElement().satisfies(d -> assertThat(d.attempts()).isEqualTo(1));
        // both starts audited; started_at is the first one's
        assertThat(db.scalar("""
                select string_agg(details->>'worker', ',' order by id) from audit_events
                where event_type = 'job.started' and details->>'jobId' = ?""", jobId)).isEqualTo("slow,fast");
        assertThat(db.scalar("""
                select j.started_at < a.occurred_at and j.started_at < j.finished_at from jobs j, audit_events a
                where j.id = ?::uuid and a.event_type = 'job.started' and a.details->>'jobId' = j.id::text
                  and a.details->>'worker' = 'fast'""", jobId)).isEqualTo("t");
        assertSegInOrthanc(ct, ct.sopInstanceUids());
    }

    @Test
    void aSegReadyWhileOrthancIsDownStaysPendingWithItsAttemptsAndIsDeliveredOnceOrthancIsBack() throws Exception {
        SyntheticSeries.Written ct = series("orthanc-down", 100);
        pipeline.orthanc().stop();
        try (InferenceWorker worker = inThreadWorker("orthanc-down")) {
            try {
                assertThat(pipeline.storescu(ct.files()).exitCode()).isZero();
                String jobId = db.awaitJob(ct.seriesInstanceUid(), "done", JOB_TIMEOUT).id();
                List<PipelineDatabase.Delivery> pending = awaitFailedAttempts(jobId, 3, Duration.ofSeconds(30));
                assertThat(pending).singleElement().satisfies(d -> {
                    assertThat(d.state()).isEqualTo("pending");
                    assertThat(d.lastError()).isNotBlank();
                });
                assertThat(db.attempts(jobId)).allSatisfy(a -> {
                    assertThat(a.dicomStatus()).as("no DICOM status from a closed port").isNull();
                    assertThat(a.error()).isNotBlank();
                });
            } finally {
                pipeline.orthanc().restart();
            }
            String jobId = db.jobs(ct.seriesInstanceUid()).getFirst().id();
            assertThat(db.awaitDeliveries(jobId, "delivered", Duration.ofSeconds(30))).singleElement()
                    .satisfies(d -> assertThat(d.attempts()).isGreaterThanOrEqualTo(4));
            List<PipelineDatabase.Attempt> attempts = db.attempts(jobId);
            assertThat(attempts.getLast().dicomStatus()).as("the delivering attempt's status").isZero();
            assertThat(attempts.subList(0, attempts.size() - 1)).allSatisfy(a -> assertThat(a.dicomStatus()).isNull());
            assertThat(db.scalar("""
                    select count(*) from audit_events where event_type = 'delivery' and outcome = 'retry' and details->>'resultId' =
                    (select r.id::text from results r where r.job_id = ?::uuid)""", jobId))
                    .isEqualTo(Integer.toString(attempts.size() - 1));
        }
        assertSegInOrthanc(ct, ct.sopInstanceUids());
    }

    @Test
    void aSeriesWhoseGatewayWasKilledBeforeCompletionCompletesAfterTheRestart() throws Exception {
        SyntheticSeries.Written ct = series("gateway-restart", 100);
        try (InferenceWorker worker = inThreadWorker("gateway-restart")) {
            try {
                assertThat(pipeline.storescu(ct.files()).exitCode()).isZero();
                pipeline.gateway().kill();
                assertThat(db.scalar("select state from series where series_instance_uid = ?", ct.seriesInstanceUid()))
                        .as("killed before the quiet time ended").isEqualTo("receiving");
                assertThat(db.jobs(ct.seriesInstanceUid())).isEmpty();
                Thread.sleep(QUIET_TIME.toMillis() + 1000); // the series is overdue when the gateway comes back
            } finally {
                pipeline.gateway().launch();
            }
            String jobId = db.awaitJob(ct.seriesInstanceUid(), "done", JOB_TIMEOUT).id();
            db.awaitDeliveries(jobId, "delivered", JOB_TIMEOUT);
        }
        assertThat(db.scalar("""
                select count(*) from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?""",
                ct.seriesInstanceUid())).isEqualTo("100");
        assertThat(db.jobs(ct.seriesInstanceUid())).singleElement().extracting(PipelineDatabase.Job::state).isEqualTo("done");
        assertSegInOrthanc(ct, ct.sopInstanceUids());
    }

    @Test
    void malformedInstancesGetAFailureStatusAndTheRestOfTheSeriesIsProcessed() throws Exception {
        SyntheticSeries.Written ct = series("malformed", 100);
        Path bad = Files.createDirectories(directory.resolve("malformed-bad"));
        // Rows doubled: the Pixel Data holds half the bytes the header announces
        Path shortPixels = Files.copy(ct.files().get(40), bad.resolve("SHORT.dcm"), StandardCopyOption.REPLACE_EXISTING);
        dcmodify(shortPixels, "(0028,0010)=256", "(0008,0018)=" + newUid());
        // a SOP Instance UID that is not digits and dots: it must never become a spool path
        Path badUid = Files.copy(ct.files().get(60), bad.resolve("BADUID.dcm"), StandardCopyOption.REPLACE_EXISTING);
        dcmodify(badUid, "(0008,0018)=1.2.840.99.ABC/../x");
        List<Path> files = new ArrayList<>(ct.files());
        files.add(30, shortPixels);
        files.add(70, badUid);

        try (InferenceWorker worker = inThreadWorker("malformed")) {
            // --no-halt: like a modality, storescu goes on after a refused instance (its default is to stop there)
            Dcmtk.Result sent = pipeline.storescu(files, "--no-halt", "-v");
            Map<String, String> responses = storeResponses(sent.output());
            assertThat(responses).as(sent.output()).hasSize(102)
                    .containsEntry(shortPixels.toString(), "Error: DataSetDoesNotMatchSOPClass")
                    .containsEntry(badUid.toString(), "Error: CannotUnderstand");
            for (Path f : ct.files()) assertThat(responses).containsEntry(f.toString(), "Success");
            String jobId = db.awaitJob(ct.seriesInstanceUid(), "done", JOB_TIMEOUT).id();
            db.awaitDeliveries(jobId, "delivered", JOB_TIMEOUT);
        }
        assertThat(db.scalar("""
                select count(*) from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?""",
                ct.seriesInstanceUid())).isEqualTo("100");
        assertThat(db.rows("""
                select details->>'status' from audit_events where event_type = 'dicom.store' and outcome = 'refused'
                and actor = ? order by id""", Pipeline.MODALITY_AE))
                .containsExactly(List.of("0xA900"), List.of("0xC000"));
        assertSegInOrthanc(ct, ct.sopInstanceUids());
    }

    private static SyntheticSeries.Written series(String name, int slices) throws Exception {
        return SyntheticSeries.ct().size(96, 96, slices).spacing(2.0, 2.0, 2.5).noise(5, name.hashCode())
                .write(directory.resolve(name));
    }

    private static InferenceWorker inThreadWorker(String id) {
        InferenceWorker worker = new InferenceWorker(WorkerSettings.defaults(pipeline.broker().bootstrapServers(), id), new ThresholdRunner(0));
        Thread.ofPlatform().name("worker-" + id).daemon().start(worker);
        return worker;
    }

    /** Waits until the job's delivery has {@code count} failed attempts on record. */
    private static List<PipelineDatabase.Delivery> awaitFailedAttempts(String jobId, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<PipelineDatabase.Delivery> deliveries = db.deliveries(jobId);
            if (!deliveries.isEmpty() && deliveries.getFirst().attempts() >= count) return deliveries;
            Thread.sleep(250);
        }
        throw new AssertionError("fewer than " + count + " attempts within " + timeout + ": " + db.deliveries(jobId));
    }

    /** Orthanc holds exactly one SEG for the study, valid for dciodvfy, on exactly {@code sources}. */
    private static void assertSegInOrthanc(SyntheticSeries.Written ct, List<String> sources) throws Exception {
        List<String> segs = orthanc.awaitSegInstances(ct.studyInstanceUid(), Duration.ofSeconds(10));
        assertThat(segs).hasSize(1);
        Path seg = orthanc.download(segs.getFirst(), directory.resolve("from-orthanc").resolve(ct.seriesInstanceUid() + ".dcm"));
        assertThat(SegFile.dciodvfyErrors(seg)).isEmpty();
        assertThat(SegFile.referencedInstances(seg)).isEqualTo(new HashSet<>(sources));
    }

    /** File to the status storescu -v reports for it ("Success", "Error: ..."), from its "Sending file" and response lines. */
    private static Map<String, String> storeResponses(String storescuVerboseOutput) {
        Map<String, String> responses = new LinkedHashMap<>();
        String file = null;
        for (String line : storescuVerboseOutput.lines().toList()) {
            if (line.startsWith("I: Sending file: ")) file = line.substring("I: Sending file: ".length()).strip();
            Matcher m = Pattern.compile("^I: Received Store Response \\((.*)\\)$").matcher(line);
            if (m.matches() && file != null) responses.put(file, m.group(1));
        }
        return responses;
    }

    private static void dcmodify(Path file, String... assignments) throws Exception {
        List<String> command = new ArrayList<>(List.of("dcmodify", "-nb"));
        for (String a : assignments) command.addAll(List.of("-m", a));
        command.add(file.toString());
        Dcmtk.Result r = Dcmtk.run(Duration.ofSeconds(30), command);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private static String newUid() {
        UUID u = UUID.randomUUID();
        return "2.25." + new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
    }
}
