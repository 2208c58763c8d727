package org.seggateway.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreOutcome;
import org.seggateway.dicomio.net.StoreResult;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.WorkerSettings;
import org.seggateway.it.pipeline.OrthancContent;
import org.seggateway.it.pipeline.Pipeline;
import org.seggateway.it.pipeline.PipelineDatabase;
import org.seggateway.it.pipeline.ThresholdRunner;

/**
 * DICOM fuzzing of the packaged gateway (small heap) through DCMTK storescu: {@code fuzz.cases} (default 1,000) mutants
 * of a valid CT instance ({@link DicomMutator}, seed {@code fuzz.seed}, printed) sent in one association between the
 * instances of a normal series. Mutants go in series of their own, on a route with a long quiet time, so the normal
 * series is completed and processed first, on its own; then the mutants' series complete, and a second normal series
 * sent after them shows that the dispatcher still dispatches. Every mutant gets a failure status, or is stored and its
 * series' job ends (done, or failed with a reason); every normal instance is stored; nothing acknowledged is lost; the
 * gateway stays healthy and its heap after a full GC stays near where it began.
 */
class DicomFuzzIT {
    private static final int MUTANTS_PER_SERIES = 25, VALID_SLICES = 40;
    private static final String FUZZ_ROUTE = "itfuzz", MAX_HEAP = "256m";
    private static final Duration FUZZ_QUIET_TIME = Duration.ofSeconds(Long.getLong("fuzz.quiet-time-s", 45));
    private static final Pattern SENDING = Pattern.compile("^I: Sending file: (.*)$");
    private static final Pattern RESPONSE = Pattern.compile("^I: Received Store Response \\((.*)\\)$");

    static Path directory;
    static Pipeline pipeline;
    static PipelineDatabase db;

    @BeforeAll
    static void start() throws Exception {
        directory = Pipeline.workDirectory(DicomFuzzIT.class);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("seg-gateway.routes." + FUZZ_ROUTE + ".match.series-description", "FUZZ.*");
        properties.put("seg-gateway.routes." + FUZZ_ROUTE + ".priority", "10");
        properties.put("seg-gateway.routes." + FUZZ_ROUTE + ".quiet-time", FUZZ_QUIET_TIME.toSeconds() + "s");
        properties.put("seg-gateway.routes." + FUZZ_ROUTE + ".models", "test-model");
        properties.put("seg-gateway.routes." + FUZZ_ROUTE + ".destinations", Pipeline.DESTINATION);
        pipeline = Pipeline.start(directory, Duration.ofSeconds(2), properties, List.of(), MAX_HEAP);
        db = pipeline.database();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) pipeline.close();
    }

    @Test
    void mutatedInstancesAreRefusedOrFailAloneAndTheNormalSeriesIsProcessed() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int cases = Integer.getInteger("fuzz.cases", 1000);
        System.out.printf("DICOM fuzz: seed %d, %d cases (rerun with -Dfuzz.seed=%d -Dfuzz.cases=%d)%n", seed, cases, seed, cases);

        SyntheticSeries.Written donor = SyntheticSeries.ct().size(64, 64, 8).write(directory.resolve("donor"));
        SyntheticSeries.Written valid = SyntheticSeries.ct().size(64, 64, VALID_SLICES).spacing(2, 2, 2.5).noise(5, seed)
                .write(directory.resolve("valid"));
        DicomMutator mutator = new DicomMutator(seed);
        List<DicomMutator.Mutant> mutants = new ArrayList<>();
        String fuzzSeries = null;
        for (int i = 0; i < cases; i++) {
            if (i % MUTANTS_PER_SERIES == 0) fuzzSeries = mutator.uid();
            Path from = donor.files().get(i % donor.files().size());
            mutants.add(mutator.mutate(from, directory.resolve("mutants").resolve(String.format("M%05d.dcm", i)), fuzzSeries,
                    "FUZZ " + (i / MUTANTS_PER_SERIES)));
        }
        List<Path> files = new ArrayList<>();
        int every = Math.max(1, cases / VALID_SLICES);
        for (int i = 0, v = 0; i < cases || v < VALID_SLICES; i++) {
            if (i < cases) files.add(mutants.get(i).file());
            if (i % every == every - 1 && v < VALID_SLICES || i >= cases && v < VALID_SLICES) files.add(valid.files().get(v++));
        }

        HeapProbe heap = new HeapProbe(pipeline.gateway());
        long heapBefore = heap.afterFullGc();
        long t0 = System.nanoTime();
        Sent sent;
        try (InferenceWorker worker = new InferenceWorker(WorkerSettings.defaults(pipeline.broker().bootstrapServers(), "fuzz"),
                new ThresholdRunner(0))) {
            Thread.ofPlatform().name("fuzz-worker").daemon().start(worker);
            heap.startSampling();
            sent = send(files);
            double seconds = (System.nanoTime() - t0) / 1e9;

            // the normal series, judged on its own: every instance stored, its job done and its SEG at the PACS
            for (Path f : valid.files())
                assertThat(sent.responses()).as("%s answered %s (%d aborted associations)", f, sent.responses().get(f), sent.aborts())
                        .containsEntry(f, "Success");
            assertThat(count("select count(*) from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?",
                    valid.seriesInstanceUid())).isEqualTo(VALID_SLICES);
            // (a slow sender may leave gaps longer than the quiet time: each completed version gets its job; the last counts)
            String validJob = awaitLastJobDone(valid.seriesInstanceUid(), Duration.ofSeconds(120)).id();
            db.awaitDeliveries(validJob, "delivered", Duration.ofSeconds(60));
            assertThat(count("select cardinality(source_instance_ids) from jobs where id = ?::uuid", validJob)).isEqualTo(VALID_SLICES);
            assertThat(new OrthancContent(pipeline.orthanc()).awaitSegInstances(valid.studyInstanceUid(), Duration.ofSeconds(30))).isNotEmpty();

            // every mutant: a failure status and nothing kept, or stored (a row) and its series' job ends. An instance is
            // acknowledged only after its row and its audit entry commit together, so the audit counts every outcome.
            Map<String, Integer> statuses = new TreeMap<>();
            int stored = 0, refused = 0, notSent = 0, unattributed = 0;
            Map<String, List<String>> storedSeries = new HashMap<>();
            for (DicomMutator.Mutant m : mutants) {
                String status = sent.responses().getOrDefault(m.file(), "not sent");
                statuses.merge(status, 1, Integer::sum);
                String plain = status.replaceFirst("^raw ", "");
                if (plain.equals("Success") || plain.startsWith("Warning")) {
                    stored++;
                    boolean hasRow = m.sopInstanceUid().matches("[0-9.]{1,64}") && count(
                            "select count(*) from instances where sop_instance_uid = ?", m.sopInstanceUid()) > 0;
                    if (hasRow) storedSeries.computeIfAbsent(m.seriesInstanceUid(), k -> new ArrayList<>()).add(m.sopInstanceUid());
                    else unattributed++; // its SOP Instance UID element itself was mutated: counted by the audit below
                } else if (status.startsWith("not sent")) notSent++;
                else refused++;
            }
            int acknowledged = stored + VALID_SLICES;
            int auditedStored = count("select count(*) from audit_events where event_type = 'dicom.store' and actor = ?"
                    + " and outcome in ('stored', 'new_version', 'duplicate')", Pipeline.MODALITY_AE);
            int auditedRefused = count("select count(*) from audit_events where event_type = 'dicom.store' and actor = ?"
                    + " and outcome = 'refused'", Pipeline.MODALITY_AE);
            int storedRows = count("select count(*) from instances i join series s on s.id = i.series_id where s.calling_ae_title = ?",
                    Pipeline.MODALITY_AE);
            System.out.printf("DICOM fuzz: %d files sent in %.1f s (%.0f instances/s); %d aborted associations%n",
                    files.size(), seconds, files.size() / seconds, sent.aborts());
            System.out.printf("DICOM fuzz: %d mutants: %d stored (%d under a mutated SOP Instance UID), %d refused, %d not sent"
                    + " (neither storescu nor raw); statuses %s%n", cases, stored, unattributed, refused, notSent, statuses);
            System.out.printf("DICOM fuzz: acknowledged %d, audited stored %d, refused %d, audited refused %d, instance rows %d;"
                    + " instances lost: %d%n", acknowledged, auditedStored, refused, auditedRefused, storedRows, acknowledged - auditedStored);
            assertThat(auditedStored).as("acknowledged instances with their row and audit entry").isEqualTo(acknowledged);
            assertThat(auditedRefused).as("refusals audited").isEqualTo(refused);
            assertThat(storedRows).as("instance rows").isLessThanOrEqualTo(acknowledged);
            assertThat(sent.aborts()).as("associations aborted by the gateway").isZero();

            // the mutants' series complete after their quiet time; each job ends, failed ones with a reason
            Map<String, Integer> outcomes = awaitJobsEnded(storedSeries.keySet(), FUZZ_QUIET_TIME.plusSeconds(120));
            System.out.printf("DICOM fuzz: %d series with stored mutants: job outcomes %s%n", storedSeries.size(), outcomes);

            // the dispatcher still dispatches: a normal series sent now is processed
            SyntheticSeries.Written after = SyntheticSeries.ct().size(64, 64, 20).spacing(2, 2, 2.5).write(directory.resolve("after"));
            Dcmtk.Result r = pipeline.storescu(after.files());
            assertThat(r.exitCode()).as(r.output()).isZero();
            String afterJob = db.awaitJob(after.seriesInstanceUid(), "done", Duration.ofSeconds(120)).id();
            db.awaitDeliveries(afterJob, "delivered", Duration.ofSeconds(60));
            worker.close();
        }

        assertThat(pipeline.gateway().get("/q/health")).contains("\"status\": \"UP\"");
        long heapAfter = heap.afterFullGc();
        heap.stopSampling();
        System.out.printf("DICOM fuzz: gateway heap (-Xmx%s) after full GC %d MiB before, %d MiB after; peak sampled %d MiB%n",
                MAX_HEAP, heapBefore >> 20, heapAfter >> 20, heap.peak() >> 20);
        assertThat(heapAfter).as("heap after a full GC, bytes").isLessThan(heapBefore + (64L << 20));
    }

    /** Per-file statuses storescu reported, and how many times an association broke (the rest was sent again). */
    private record Sent(Map<Path, String> responses, int aborts) {}

    /**
     * Sends the files in one association; when the gateway breaks it, the file in flight counts as unanswered and the
     * rest goes again in a new one, as a modality would.
     */
    private static Sent send(List<Path> files) throws Exception {
        Map<Path, String> responses = new HashMap<>();
        List<Path> rest = files;
        Set<Path> resent = new HashSet<>();
        int aborts = 0;
        while (!rest.isEmpty()) {
            Dcmtk.Result r = pipeline.storescu(rest, "--no-halt", "-v");
            Files.writeString(directory.resolve("storescu-" + aborts + ".log"), r.output());
            Path last = null;
            for (String line : r.output().lines().toList()) {
                Matcher s = SENDING.matcher(line), a = RESPONSE.matcher(line);
                if (s.matches()) last = Path.of(s.group(1).strip());
                else if (a.matches() && last != null) responses.put(last, a.group(1));
            }
            boolean broken = r.output().contains("Association Aborted") || r.output().contains("Peer Aborted")
                    || r.output().contains("Association Request Failed");
            if (!broken || last == null) break;
            aborts++;
            int at = rest.indexOf(last);
            // the file in flight when the association broke is sent once more in the next association: the abort may
            // belong to the file before it (answered, then aborted), and a file that breaks its association again is
            // left to the raw sender below
            boolean again = at >= 0 && !responses.containsKey(last) && resent.add(last);
            rest = at < 0 ? List.of() : rest.subList(again ? at : at + 1, rest.size());
        }
        // what storescu would not send (it cannot parse it) goes raw: the data set bytes as they are in the file
        List<Path> unsent = files.stream().filter(f -> !responses.containsKey(f)).toList();
        if (!unsent.isEmpty()) {
            StoreResult raw = new DicomSender(Pipeline.MODALITY_AE).store(
                    new RemoteAe("127.0.0.1", pipeline.scpPort(), Pipeline.GATEWAY_AE), unsent);
            boolean broken = false;
            for (StoreOutcome o : raw.outcomes()) {
                if (o.status() < 0) { // NO_RESPONSE or NOT_NEGOTIATED
                    if (o.error().contains("association") && !broken) {
                        broken = true;
                        aborts++;
                        System.out.println("association lost at " + o);
                    }
                    String why = o.error().contains("presentation context") ? "no presentation context accepted"
                            : o.error().contains("unreadable") ? "unreadable meta information" : "no response";
                    responses.put(o.file(), "not sent: " + why);
                } else responses.put(o.file(), "raw " + statusName(o.status()));
            }
        }
        return new Sent(responses, aborts);
    }

    /** The words storescu prints for a status, for the statuses the gateway answers with. */
    private static String statusName(int status) {
        return switch (status) {
            case DimseStatus.SUCCESS -> "Success";
            case DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS -> "Error: DataSetDoesNotMatchSOPClass";
            case DimseStatus.CANNOT_UNDERSTAND -> "Error: CannotUnderstand";
            default -> DimseStatus.toHex(status);
        };
    }

    /** Waits until the series is complete and its latest job done (fails when that job fails). */
    private static PipelineDatabase.Job awaitLastJobDone(String seriesUid, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<PipelineDatabase.Job> jobs = List.of();
        while (System.nanoTime() < deadline) {
            jobs = db.jobs(seriesUid);
            boolean complete = "complete".equals(db.scalar("select state from series where series_instance_uid = ?", seriesUid));
            if (complete && !jobs.isEmpty()) {
                PipelineDatabase.Job last = jobs.getLast();
                if (last.state().equals("done")) return last;
                if (last.state().equals("failed")) throw new AssertionError("job of series " + seriesUid + " failed: " + last);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("series " + seriesUid + " not processed within " + timeout + ": " + jobs);
    }

    /** Waits until every series' job is done, failed or skipped; returns the count per outcome. */
    private static Map<String, Integer> awaitJobsEnded(Iterable<String> seriesUids, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (String series : seriesUids) {
            String outcome = null;
            while (outcome == null) {
                List<PipelineDatabase.Job> jobs = db.jobs(series);
                PipelineDatabase.Job job = jobs.isEmpty() ? null : jobs.getLast();
                if (job != null && List.of("done", "failed", "skipped").contains(job.state())) {
                    if (job.state().equals("failed"))
                        assertThat(job.reason()).as("reason of failed job of series %s", series).isNotBlank();
                    outcome = job.state();
                } else if (System.nanoTime() > deadline)
                    throw new AssertionError("job of fuzz series " + series + " did not end within " + timeout + ": " + jobs);
                else Thread.sleep(500);
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        return outcomes;
    }

    private static int count(String sql, Object... parameters) throws Exception {
        return Integer.parseInt(db.scalar(sql, parameters));
    }

    /** The gateway's used heap: from its Prometheus metrics, sampled every 250 ms for the peak, and after a full GC (jcmd). */
    private static final class HeapProbe {
        private final org.seggateway.it.pipeline.GatewayProcess gateway;
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean sampling;

        HeapProbe(org.seggateway.it.pipeline.GatewayProcess gateway) {
            this.gateway = gateway;
        }

        void startSampling() {
            sampling = true;
            Thread.ofPlatform().daemon().name("heap-probe").start(() -> {
                while (sampling) {
                    try {
                        peak.accumulateAndGet(used(), Math::max);
                        Thread.sleep(250);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }

        void stopSampling() {
            sampling = false;
        }

        long peak() {
            return peak.get();
        }

        long afterFullGc() throws Exception {
            Dcmtk.Result gc = Dcmtk.run(Duration.ofSeconds(60), List.of(jcmd(), Long.toString(gateway.pid()), "GC.run"));
            assertThat(gc.exitCode()).as(gc.output()).isZero();
            return used();
        }

        private long used() throws Exception {
            double sum = 0;
            for (String line : gateway.get("/q/metrics").lines().toList())
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            return (long) sum;
        }

        private static String jcmd() {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            return Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
        }
    }
}
