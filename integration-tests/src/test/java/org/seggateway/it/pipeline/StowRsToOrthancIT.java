package org.seggateway.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seggateway.cli.StowRsClient;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Orthanc;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.WorkerSettings;

/**
 * DICOMweb both ways with a real peer: a CT series POSTed to the packaged gateway by STOW-RS (the JDK's HTTP client
 * streaming a multipart/related body) is routed by the AE title configured for the API user, run by a worker on a real
 * Kafka broker, and its SEG and measurement report are sent by STOW-RS to Orthanc's DICOMweb plugin (Debian
 * orthanc-dicomweb), where QIDO-RS finds the SEG series.
 */
class StowRsToOrthancIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENDER_AE = "STOWIT";

    static Path directory;
    static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        directory = Pipeline.workDirectory(StowRsToOrthancIT.class);
        pipeline = Pipeline.startWithOrthancDicomWeb(directory, Duration.ofSeconds(2), Map.of(
                "seg-gateway.routes." + Pipeline.ROUTE + ".destinations", Pipeline.STOW_DESTINATION,
                "seg-gateway.routes." + Pipeline.ROUTE + ".match.calling-ae-titles", SENDER_AE,
                "seg-gateway.stow-rs.senders." + GatewayProcess.API_USER, SENDER_AE));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) pipeline.close();
    }

    @Test
    void aSeriesStoredByStowRsComesBackAsASegStoredInOrthancByStowRs() throws Exception {
        // -Dstow.it.size=512x512x300 for the timing of a full CT (docs: report of issue 12)
        int[] size = java.util.Arrays.stream(System.getProperty("stow.it.size", "128x128x60").split("x"))
                .mapToInt(Integer::parseInt).toArray();
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(size[0], size[1], size[2]).spacing(1.5, 1.5, 2.0).noise(5, 11)
                .write(directory.resolve("ct"));
        int slices = size[2];
        PipelineDatabase db = pipeline.database();
        URI studies = URI.create("http://127.0.0.1:" + pipeline.gateway().httpPort() + "/dicomweb/studies");
        String auth = "Basic " + Base64.getEncoder().encodeToString((GatewayProcess.API_USER + ":" + GatewayProcess.API_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        double lastPartToSeg, stowSeconds;
        try (InferenceWorker worker = new InferenceWorker(WorkerSettings.defaults(pipeline.broker().bootstrapServers(), "it-stow"),
                new ThresholdRunner(0))) {
            Thread thread = Thread.ofPlatform().name("it-stow-worker").start(worker);

            StowRsClient.Result sent = new StowRsClient().store(studies, auth, ct.files(), Duration.ofMinutes(5));
            long answered = System.nanoTime();
            stowSeconds = sent.seconds();
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            JsonNode stored = JSON.readTree(sent.body()).at("/00081199/Value");
            assertThat(stored.size()).isEqualTo(slices);
            assertThat(db.scalar("""
                    select count(*) from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?""",
                    ct.seriesInstanceUid())).isEqualTo(Integer.toString(slices));
            assertThat(db.scalar("select calling_ae_title from series where series_instance_uid = ?", ct.seriesInstanceUid()))
                    .isEqualTo(SENDER_AE);

            PipelineDatabase.Job job = db.awaitJob(ct.seriesInstanceUid(), "done", Duration.ofSeconds(180));
            assertThat(db.awaitDeliveries(job.id(), "delivered", Duration.ofSeconds(60))).singleElement()
                    .satisfies(d -> assertThat(d.destination()).isEqualTo(Pipeline.STOW_DESTINATION));
            lastPartToSeg = (System.nanoTime() - answered) / 1e9;
            assertThat(db.attempts(job.id())).singleElement()
                    .satisfies(a -> assertThat(a.dicomStatus()).as("STOW-RS answer taken as Success").isZero());
            assertThat(db.scalar("""
                    select a.http_status::text from delivery_attempts a join deliveries d on d.id = a.delivery_id
                    join results r on r.id = d.result_id where r.job_id = ?::uuid""", job.id())).isEqualTo("200");
            worker.close();
            thread.join(10_000);
        }
        PipelineDatabase.Job job = db.jobs(ct.seriesInstanceUid()).getFirst();
        String segUid = db.scalar("select seg_sop_instance_uid from results where job_id = ?::uuid", job.id());
        String segSeries = db.scalar("select seg_series_instance_uid from results where job_id = ?::uuid", job.id());
        String srSeries = db.scalar("select sr_series_instance_uid from results where job_id = ?::uuid", job.id());

        JsonNode qido = qido("/studies/" + ct.studyInstanceUid() + "/series?Modality=SEG");
        assertThat(qido.size()).as("SEG series found by QIDO-RS").isEqualTo(1);
        assertThat(qido.get(0).at("/0020000E/Value/0").asText()).isEqualTo(segSeries);
        JsonNode segInstances = qido("/studies/" + ct.studyInstanceUid() + "/series/" + segSeries + "/instances");
        assertThat(segInstances.get(0).at("/00080018/Value/0").asText()).isEqualTo(segUid);
        assertThat(qido("/studies/" + ct.studyInstanceUid() + "/series?Modality=SR").get(0).at("/0020000E/Value/0").asText())
                .as("the measurement report in the same request").isEqualTo(srSeries);

        OrthancContent orthanc = new OrthancContent(pipeline.orthanc());
        Path seg = orthanc.download(orthanc.segInstances(ct.studyInstanceUid()).getFirst(), directory.resolve("from-orthanc").resolve("seg.dcm"));
        assertThat(SegFile.dciodvfyErrors(seg)).isEmpty();
        assertThat(SegFile.referencedInstances(seg)).isEqualTo(new HashSet<>(ct.sopInstanceUids()));

        assertThat(db.scalar("select count(*) from audit_events where event_type = 'dicom.store' and outcome = 'stored'"
                + " and actor = ? and details->>'via' = 'stow-rs'", GatewayProcess.API_USER)).isEqualTo(Integer.toString(slices));
        assertThat(db.scalar("select count(*) from audit_events where event_type = 'delivery' and outcome = 'delivered'"
                + " and details->>'via' = 'stow-rs'")).isEqualTo("1");
        System.out.printf("StowRsToOrthancIT: STOW-RS of %d instances (%.1f MB) in %.2f s; last part answered to SEG delivered to Orthanc: %.2f s "
                + "(quiet time 2 s, threshold worker)%n", ct.files().size(), ct.bytes() / 1e6, stowSeconds, lastPartToSeg);
    }

    private static JsonNode qido(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + pipeline.orthanc().httpPort() + Orthanc.DICOMWEB_ROOT.substring(0, Orthanc.DICOMWEB_ROOT.length() - 1) + path))
                .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
