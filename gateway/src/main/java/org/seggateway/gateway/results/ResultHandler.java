package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.seg.LabelLeftOut;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.seg.SegmentDescription;
import org.seggateway.dicomio.seg.SegmentationOptions;
import org.seggateway.dicomio.seg.SegmentationSource;
import org.seggateway.dicomio.seg.SegmentationWriter;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.dicomio.volume.VolumeException;
import org.seggateway.dicomio.volume.VolumeLayout;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.routing.RouteCatalog;
import org.seggateway.gateway.ingest.Spool;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobSources;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.gateway.metrics.GatewayMetrics;
import org.seggateway.gateway.models.ModelInfo;
import org.seggateway.gateway.models.ModelPackageException;
import org.seggateway.gateway.models.ModelPackages;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.inference.queue.ResultHeader;

/**
 * Turns a worker's answer into the job's outcome. A label map becomes a SEG in the spool
 * ({@code <spool>/results/<job id>.dcm}, fsynced) built on the very files the job's volume came from, a
 * {@code results} row (versioned per series and model, with the labels whose voxels on interpolated slices the SEG
 * could not carry), one pending {@code deliveries} row per destination
 * of the route, and the job 'done' with the worker's stage times. A dead letter fails the job with the
 * worker's error. Idempotent by job id: a result handled twice (a consumer restarted before its offsets
 * were committed, a job run twice) creates nothing new.
 */
@ApplicationScoped
public class ResultHandler {
    private static final Logger LOG = Logger.getLogger(ResultHandler.class);
    private static final Set<JobState> AWAITING_RESULT = Set.of(JobState.COMPLETE, JobState.QUEUED, JobState.RUNNING);

    private final Transactions transactions;
    private final ResultRepository repository;
    private final JobRepository jobs;
    private final JobSources sources;
    private final ModelPackages models;
    private final GatewayMetrics metrics;
    private final JobAudit audit;
    private final RouteCatalog routes;
    private final Path resultsFolder;

    ResultHandler(Transactions transactions, ResultRepository repository, JobRepository jobs, JobSources sources, ModelPackages models, GatewayMetrics metrics,
                  JobAudit audit, GatewayConfig config, RouteCatalog routes) {
        this.transactions = transactions;
        this.repository = repository;
        this.jobs = jobs;
        this.sources = sources;
        this.models = models;
        this.metrics = metrics;
        this.audit = audit;
        this.routes = routes;
        this.resultsFolder = new Spool(config.spool()).root().resolve("results");
    }

    /** A job whose label map is expected: its row and the grid of the files its volume came from. */
    public record PendingResult(UUID jobId, long seriesId, String seriesInstanceUid, String routeName, String modelPackage,
                                String modelName, String modelVersion, VolumeLayout layout) {
    }

    /** What {@link #store} recorded. */
    public record StoredResult(long resultId, int version, Path segFile, String segSopInstanceUid, int frameCount,
                               List<String> destinations) {
    }

    /**
     * The job a result header announces, with its grid; empty (and logged) when there is nothing to build:
     * unknown job, result already stored, job no longer waiting, or its source files unusable (job failed).
     */
    public Optional<PendingResult> prepare(String jobId) throws SQLException {
        UUID id = parseJobId(jobId);
        if (id == null) return Optional.empty();
        ResultRepository.JobRow row = transactions.withHandle(h -> repository.jobOfResult(h, id)).orElse(null);
        if (row == null) {
            LOG.warnf("result for unknown job %s ignored", jobId);
            return Optional.empty();
        }
        if (row.resultStored()) {
            LOG.infof("result for job %s already stored: duplicate ignored", jobId);
            return Optional.empty();
        }
        if (!AWAITING_RESULT.contains(row.state())) {
            LOG.warnf("result for job %s in state '%s' ignored", jobId, row.state().column());
            return Optional.empty();
        }
        if (row.sourceInstanceIds() == null || row.sourceInstanceIds().isEmpty()) {
            // published, but the dispatcher could not record it: the job is queued again and answered again
            LOG.warnf("result for job %s ignored: the job is not recorded as queued yet", jobId);
            return Optional.empty();
        }
        List<JobSources.SourceFile> files = transactions.withHandle(h -> sources.byIds(h.getConnection(), row.sourceInstanceIds()));
        VolumeLayout layout;
        try {
            layout = VolumeReader.layout(JobSources.scan(files, row.seriesInstanceUid()));
        } catch (IOException | VolumeException e) {
            fail(id, "seg", "source series no longer readable for the SEG: " + e.getMessage());
            return Optional.empty();
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            fail(id, "seg", "source series no longer readable for the SEG: " + ItemFaults.describe(e));
            return Optional.empty();
        }
        return Optional.of(new PendingResult(id, row.seriesId(), row.seriesInstanceUid(), row.routeName(), row.modelPackage(),
                row.modelName(), row.modelVersion(), layout));
    }

    /**
     * Builds and records the SEG of a label map on the job's grid. Empty when another run stored it first, or
     * when the label map cannot become a SEG (the job is then failed with the reason).
     */
    public Optional<StoredResult> store(PendingResult job, ResultHeader header, LabelMap labels) throws SQLException, IOException {
        try {
            return transactions.inTransaction(h -> {
                try {
                    return store(h, job, header, labels);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Optional<StoredResult> store(Handle h, PendingResult job, ResultHeader header, LabelMap labels)
            throws SQLException, IOException {
        // waits for the dispatcher's mark, and keeps a second run of the same result out
        if (!repository.lockJob(h, job.jobId()) || !repository.awaitsResult(h, job.jobId(), AWAITING_RESULT)) {
            LOG.infof("result for job %s already stored or job no longer waiting: nothing done", job.jobId());
            return Optional.empty();
        }
        Connection c = h.getConnection();
        long start = System.nanoTime();
        ModelInfo model;
        WrittenSegmentation seg;
        Path file = resultsFolder.resolve(job.jobId() + ".dcm");
        try {
            model = models.read(job.modelPackage());
            String name = job.modelName() == null ? model.name() : job.modelName();
            String version = job.modelVersion() == null ? model.version() : job.modelVersion();
            List<SegmentDescription> segments = model.segments().stream().map(s -> new SegmentDescription(s.labelValue(),
                    s.label(), s.category(), s.type(), name, version, s.rgb())).toList();
            VolumeLayout layout = job.layout();
            SegmentationSource source = new SegmentationSource(layout.geometry(), layout.slices(), layout.header(),
                    layout.seriesInstanceUid(), layout.frameOfReferenceUid());
            SegmentationOptions options = SegmentationOptions.defaults()
                    .withSeries(900, cut("AI " + name + " " + version, 64))
                    .withContent("SEGMENTATION", cut(name + " " + version, 64), "");
            Files.createDirectories(resultsFolder);
            seg = new SegmentationWriter(options).write(source, labels, segments, file);
            Spool.force(file);
            Spool.force(resultsFolder);
        } catch (ModelPackageException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // any exception of the SEG build is this result's: it fails alone (a database failure is an SQLException)
            if (e instanceof RuntimeException r && !ItemFaults.attributableToItem(r)) throw r;
            String reason = "SEG not built: " + (e instanceof ModelPackageException || e instanceof IllegalArgumentException
                    ? e.getMessage() : ItemFaults.describe(e));
            if (jobs.transition(c, job.jobId(), AWAITING_RESULT, JobState.FAILED, reason, header.stageSeconds()))
                audit.append(c, job.jobId(), "job.failed", "failed", Map.of("stage", "seg", "reason", reason));
            LOG.warnf("job %s failed: %s", job.jobId(), reason);
            return Optional.empty();
        }
        double segBuild = Math.round((System.nanoTime() - start) / 1e6) / 1e3;
        List<String> labelsLeftOut = seg.labelsLeftOut().stream().map(LabelLeftOut::describe).toList();
        for (String leftOut : labelsLeftOut) LOG.warnf("job %s: %s", job.jobId(), leftOut);

        int version = repository.nextVersion(h, job.seriesId(), job.modelName());
        long resultId = repository.insert(h, new ResultRepository.NewResult(job.jobId(), version, seg.sopInstanceUid(),
                seg.seriesInstanceUid(), seg.file().toString(), seg.frameCount(), seg.segmentNumbers().size(), Instant.now(),
                labelsLeftOut));
        List<String> destinations = destinations(job);
        repository.insertDeliveries(h, resultId, destinations);
        Map<String, Double> stageSeconds = new HashMap<>(header.stageSeconds() == null ? Map.of() : header.stageSeconds());
        stageSeconds.put("segBuild", segBuild);
        jobs.transition(c, job.jobId(), AWAITING_RESULT, JobState.DONE, null, stageSeconds);
        audit.append(c, job.jobId(), "result.stored", "stored", Map.of("segSopInstanceUid", seg.sopInstanceUid(),
                "resultVersion", version, "frames", seg.frameCount(), "destinations", destinations, "worker", String.valueOf(header.worker())));
        metrics.resultStored(stageSeconds.getOrDefault("total", 0.0), segBuild);
        LOG.infof("job %s done: SEG %s (version %d, %d frames, %d bytes) in %.2f s, deliveries to %s", job.jobId(), seg.file(),
                version, seg.frameCount(), seg.fileSize(), segBuild, destinations);
        return Optional.of(new StoredResult(resultId, version, seg.file(), seg.sopInstanceUid(), seg.frameCount(), destinations));
    }

    /** A dead letter: the worker gave up on the job. */
    public void failed(ResultHeader header) throws SQLException {
        UUID id = parseJobId(header.jobId());
        if (id == null) return;
        String reason = "inference failed after " + header.attempts() + " attempt(s) on worker " + header.worker() + ": " + header.error();
        if (fail(id, reason)) LOG.warnf("job %s failed: %s", id, reason);
        else LOG.infof("dead letter for job %s ignored: the job is not waiting for a result", id);
    }

    /** Fails a job that is still waiting for its result; false when it was not waiting. */
    public boolean fail(UUID jobId, String reason) throws SQLException {
        return fail(jobId, "inference", reason);
    }

    /** Fails a job that is still waiting for its result, audited with the stage that failed; false when it was not waiting. */
    public boolean fail(UUID jobId, String stage, String reason) throws SQLException {
        return transactions.inTransaction(h -> {
            boolean failed = jobs.transition(h.getConnection(), jobId, AWAITING_RESULT, JobState.FAILED, reason, Map.of());
            if (failed) audit.append(h.getConnection(), jobId, "job.failed", "failed", Map.of("stage", stage, "reason", reason));
            return failed;
        });
    }

    private List<String> destinations(PendingResult job) {
        GatewayConfig.Route route = job.routeName() == null ? null : routes.defined(job.routeName()).orElse(null);
        if (route == null) {
            LOG.warnf("job %s: route '%s' no longer exists: the SEG is stored without deliveries", job.jobId(), job.routeName());
            return List.of();
        }
        return new ArrayList<>(route.destinations());
    }

    private static UUID parseJobId(String jobId) {
        try {
            return UUID.fromString(jobId);
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.warnf("record with a job id that is not ours ('%s') ignored", jobId);
            return null;
        }
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
