package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
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

    private final DataSource dataSource;
    private final JobRepository jobs;
    private final JobSources sources;
    private final ModelPackages models;
    private final GatewayMetrics metrics;
    private final JobAudit audit;
    private final RouteCatalog routes;
    private final Path resultsFolder;

    ResultHandler(DataSource dataSource, JobRepository jobs, JobSources sources, ModelPackages models, GatewayMetrics metrics,
                  JobAudit audit, GatewayConfig config, RouteCatalog routes) {
        this.dataSource = dataSource;
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
        String seriesUid;
        PendingResult row;
        List<Long> instanceIds;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select j.series_id, s.series_instance_uid, j.route_name, j.model_package, j.model_name, j.model_version,
                       j.source_instance_ids, j.state, exists (select 1 from results r where r.job_id = j.id)
                from jobs j join series s on s.id = j.series_id where j.id = ? for share of j""")) {
            // "for share" waits while a dispatcher that has just published the job still holds its row
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    LOG.warnf("result for unknown job %s ignored", jobId);
                    return Optional.empty();
                }
                if (rs.getBoolean(9)) {
                    LOG.infof("result for job %s already stored: duplicate ignored", jobId);
                    return Optional.empty();
                }
                JobState state = JobState.valueOf(rs.getString(8).toUpperCase(java.util.Locale.ROOT));
                if (!AWAITING_RESULT.contains(state)) {
                    LOG.warnf("result for job %s in state '%s' ignored", jobId, state.column());
                    return Optional.empty();
                }
                seriesUid = rs.getString(2);
                Array ids = rs.getArray(7);
                instanceIds = ids == null ? null : Arrays.stream((Long[]) ids.getArray()).toList();
                row = new PendingResult(id, rs.getLong(1), seriesUid, rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), null);
            }
            if (instanceIds == null || instanceIds.isEmpty()) {
                // published, but the dispatcher could not record it: the job is queued again and answered again
                LOG.warnf("result for job %s ignored: the job is not recorded as queued yet", jobId);
                return Optional.empty();
            }
            VolumeLayout layout;
            try {
                layout = VolumeReader.layout(JobSources.scan(sources.byIds(c, instanceIds), seriesUid));
            } catch (IOException | VolumeException e) {
                fail(id, "seg", "source series no longer readable for the SEG: " + e.getMessage());
                return Optional.empty();
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                if (!ItemFaults.attributableToItem(e)) throw e;
                fail(id, "seg", "source series no longer readable for the SEG: " + ItemFaults.describe(e));
                return Optional.empty();
            }
            return Optional.of(new PendingResult(row.jobId(), row.seriesId(), seriesUid, row.routeName(), row.modelPackage(),
                    row.modelName(), row.modelVersion(), layout));
        }
    }

    /**
     * Builds and records the SEG of a label map on the job's grid. Empty when another run stored it first, or
     * when the label map cannot become a SEG (the job is then failed with the reason).
     */
    public Optional<StoredResult> store(PendingResult job, ResultHeader header, LabelMap labels) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<StoredResult> stored = store(c, job, header, labels);
                c.commit();
                return stored;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Optional<StoredResult> store(Connection c, PendingResult job, ResultHeader header, LabelMap labels)
            throws SQLException, IOException {
        // waits for the dispatcher's mark, and keeps a second run of the same result out
        if (!lockAwaitingJob(c, job.jobId())) {
            LOG.infof("result for job %s already stored or job no longer waiting: nothing done", job.jobId());
            return Optional.empty();
        }
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

        int version = nextVersion(c, job);
        long resultId;
        try (PreparedStatement s = c.prepareStatement("""
                insert into results (job_id, version, seg_sop_instance_uid, seg_series_instance_uid, seg_path, frame_count,
                                     segment_count, created_at, labels_left_out)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")) {
            s.setObject(1, job.jobId());
            s.setInt(2, version);
            s.setString(3, seg.sopInstanceUid());
            s.setString(4, seg.seriesInstanceUid());
            s.setString(5, seg.file().toString());
            s.setInt(6, seg.frameCount());
            s.setInt(7, seg.segmentNumbers().size());
            s.setTimestamp(8, Timestamp.from(Instant.now()));
            s.setArray(9, c.createArrayOf("text", labelsLeftOut.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                resultId = rs.getLong(1);
            }
        }
        List<String> destinations = destinations(job);
        try (PreparedStatement s = c.prepareStatement(
                "insert into deliveries (result_id, destination, state, next_attempt_at) values (?, ?, 'pending', now())")) {
            for (String destination : destinations) {
                s.setLong(1, resultId);
                s.setString(2, destination);
                s.addBatch();
            }
            s.executeBatch();
        }
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
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean failed = jobs.transition(c, jobId, AWAITING_RESULT, JobState.FAILED, reason, Map.of());
                if (failed) audit.append(c, jobId, "job.failed", "failed", Map.of("stage", stage, "reason", reason));
                c.commit();
                return failed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Locks the job row (waiting for a dispatcher still marking it) and says whether it still awaits its result. */
    private boolean lockAwaitingJob(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select 1 from jobs where id = ? for update")) {
            s.setObject(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) return false;
            }
        }
        // a new statement sees what was committed while we waited for the lock
        try (PreparedStatement s = c.prepareStatement(
                "select j.state, exists (select 1 from results r where r.job_id = j.id) from jobs j where j.id = ?")) {
            s.setObject(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return AWAITING_RESULT.contains(JobState.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT))) && !rs.getBoolean(2);
            }
        }
    }

    private static int nextVersion(Connection c, PendingResult job) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select coalesce(max(r.version), 0) + 1 from results r join jobs j on j.id = r.job_id
                where j.series_id = ? and j.model_name is not distinct from ?""")) {
            s.setLong(1, job.seriesId());
            s.setString(2, job.modelName());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
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
