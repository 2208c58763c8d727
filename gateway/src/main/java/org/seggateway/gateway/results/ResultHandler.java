package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.MDC;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.measure.SegmentStatistics;
import org.seggateway.dicomio.seg.LabelLeftOut;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.seg.SegmentDescription;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.dicomio.volume.SeriesFiles;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeException;
import org.seggateway.dicomio.volume.VolumeLayout;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.egress.DeliveriesPending;
import org.seggateway.gateway.logging.LogContext;
import org.seggateway.gateway.jobs.JobSources;
import org.seggateway.gateway.metrics.GatewayMetrics;
import org.seggateway.gateway.models.ModelPackageException;
import org.seggateway.gateway.queue.QueuedVolumes;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.inference.queue.ResultHeader;

/**
 * Turns a worker's answer into the job's outcome. A label map becomes a SEG in the spool ({@link SegFileWriter}) built
 * on the very files the job's volume came from, with its per-segment measurements and, where the route asks for one,
 * a measurement report beside it ({@link ResultMeasurements}), recorded with one pending delivery per destination of the route and
 * the job 'done' with the worker's stage times ({@link ResultRecorder}). A dead letter fails the job with the worker's
 * error ({@link JobFailures}). Idempotent by job id: a result handled twice (a consumer restarted before its offsets
 * were committed, a job run twice) creates nothing new.
 */
@ApplicationScoped
public class ResultHandler {
    private static final ResultsLog LOG = ResultsLog.LOG;
    /** Reads of source volumes and their statistics for the measurements, beside the label map's arrival and the SEG build. */
    private static final ExecutorService VOLUME_READS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("result-volume-", 0).factory());

    private final Transactions transactions;
    private final ResultRepository repository;
    private final JobSources sources;
    private final SegFileWriter segWriter;
    private final ResultRecorder recorder;
    private final ResultMeasurements measurements;
    private final ResultDestinations destinations;
    private final JobFailures failures;
    private final GatewayMetrics metrics;
    private final Event<DeliveriesPending> deliveriesPending;
    private final QueuedVolumes queuedVolumes;

    ResultHandler(Transactions transactions, ResultRepository repository, JobSources sources, SegFileWriter segWriter,
                  ResultRecorder recorder, ResultMeasurements measurements, ResultDestinations destinations,
                  JobFailures failures, GatewayMetrics metrics, Event<DeliveriesPending> deliveriesPending,
                  QueuedVolumes queuedVolumes) {
        this.transactions = transactions;
        this.repository = repository;
        this.sources = sources;
        this.segWriter = segWriter;
        this.recorder = recorder;
        this.measurements = measurements;
        this.destinations = destinations;
        this.failures = failures;
        this.metrics = metrics;
        this.deliveriesPending = deliveriesPending;
        this.queuedVolumes = queuedVolumes;
    }

    /** A job whose label map is expected: its row and the grid of the files its volume came from. */
    public record PendingResult(UUID jobId, long seriesId, String seriesInstanceUid, String routeName, String modelPackage,
                                String modelName, String modelVersion, VolumeLayout layout, SeriesFiles files) {
    }

    /** What {@link #store} recorded; {@code reportFile}: the measurement report, null when none was written. */
    public record StoredResult(long resultId, int version, Path segFile, String segSopInstanceUid, int frameCount,
                               List<String> destinations, List<SegmentMeasurement> measurements, Path reportFile) {
    }

    /**
     * The job a result header announces, with its grid (from the headers the dispatcher kept, {@link QueuedVolumes}, or
     * its files scanned again); empty (and logged) when there is nothing to build:
     * unknown job, result already stored, job no longer waiting, or its source files unusable (job failed).
     */
    public Optional<PendingResult> prepare(String jobId) throws SQLException {
        UUID id = parseJobId(jobId);
        if (id == null) return Optional.empty();
        try (LogContext context = LogContext.job(id, null)) {
            return prepare(id, jobId);
        }
    }

    private Optional<PendingResult> prepare(UUID id, String jobId) throws SQLException {
        ResultRepository.JobRow row = transactions.withHandle(h -> repository.jobOfResult(h, id)).orElse(null);
        if (row == null) {
            LOG.unknownJob(jobId);
            return Optional.empty();
        }
        if (row.resultStored()) {
            LOG.duplicate(jobId);
            return Optional.empty();
        }
        if (!JobFailures.AWAITING_RESULT.contains(row.state())) {
            LOG.notAwaited(jobId, row.state().column());
            return Optional.empty();
        }
        if (row.sourceInstanceIds() == null || row.sourceInstanceIds().isEmpty()) {
            // published, but the dispatcher could not record it: the job is queued again and answered again
            LOG.notYetQueued(jobId);
            return Optional.empty();
        }
        MDC.put(LogContext.SERIES_UID, row.seriesInstanceUid()); // removed with the job's context
        Optional<SeriesFiles> kept = queuedVolumes.files(id);
        List<JobSources.SourceFile> files = kept.isPresent() ? List.of()
                : transactions.withHandle(h -> sources.byIds(h, row.sourceInstanceIds()));
        VolumeLayout layout;
        SeriesFiles series;
        try {
            series = kept.isPresent() ? kept.get() : JobSources.scan(files, row.seriesInstanceUid());
            layout = VolumeReader.layout(series);
        } catch (IOException | VolumeException e) {
            failures.fail(id, "seg", "source series no longer readable for the SEG: " + e.getMessage());
            return Optional.empty();
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            failures.fail(id, "seg", "source series no longer readable for the SEG: " + ItemFaults.describe(e));
            return Optional.empty();
        }
        return Optional.of(new PendingResult(id, row.seriesId(), row.seriesInstanceUid(), row.routeName(), row.modelPackage(),
                row.modelName(), row.modelVersion(), layout, series));
    }

    /**
     * The job's source volume for the measurements: the one it was queued with when the dispatcher still keeps it
     * ({@link QueuedVolumes}), else read from its files ({@link ResultMeasurements#volume}) on a thread of its own, so
     * that it overlaps the label map's arrival and the SEG build instead of following them; empty (logged) when the
     * files cannot be read.
     */
    public CompletableFuture<Optional<Volume>> readVolume(PendingResult job) {
        Optional<Volume> kept = queuedVolumes.take(job.jobId());
        if (kept.isPresent()) return CompletableFuture.completedFuture(kept);
        return CompletableFuture.supplyAsync(() -> {
            try (LogContext context = LogContext.job(job.jobId(), job.seriesInstanceUid())) {
                return measurements.volume(job);
            }
        }, VOLUME_READS);
    }

    /**
     * Builds and records the SEG of a label map on the job's grid. Empty when another run stored it first, or
     * when the label map cannot become a SEG (the job is then failed with the reason).
     */
    public Optional<StoredResult> store(PendingResult job, ResultHeader header, LabelMap labels) throws SQLException, IOException {
        return store(job, header, labels, readVolume(job), Map.of());
    }

    /**
     * {@link #store(PendingResult, ResultHeader, LabelMap)} with the source volume already being read ({@link #readVolume})
     * and the consumer's own stage seconds, recorded with the worker's.
     */
    public Optional<StoredResult> store(PendingResult job, ResultHeader header, LabelMap labels,
                                        CompletableFuture<Optional<Volume>> volume, Map<String, Double> consumerSeconds)
            throws SQLException, IOException {
        try (LogContext context = LogContext.job(job.jobId(), job.seriesInstanceUid())) {
            Optional<StoredResult> stored = transactions.inTransaction(h -> {
                try {
                    return store(h, job, header, labels, volume, consumerSeconds);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // committed: the SEG goes out now rather than at the delivery loop's next tick
            stored.ifPresent(r -> deliveriesPending.fire(new DeliveriesPending(r.destinations().size())));
            return stored;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Optional<StoredResult> store(Handle h, PendingResult job, ResultHeader header, LabelMap labels,
                                         CompletableFuture<Optional<Volume>> volumeRead, Map<String, Double> consumerSeconds)
            throws SQLException, IOException {
        // waits for the dispatcher's mark, and keeps a second run of the same result out
        if (!repository.lockJob(h, job.jobId()) || !repository.awaitsResult(h, job.jobId(), JobFailures.AWAITING_RESULT)) {
            LOG.nothingDone(job.jobId());
            return Optional.empty();
        }
        long start = System.nanoTime();
        WrittenSegmentation seg;
        List<SegmentDescription> segments;
        CompletableFuture<Optional<Map<Integer, SegmentStatistics>>> statistics;
        try {
            segments = segWriter.segments(job);
            List<SegmentDescription> described = segments;
            // the statistics need the source volume and the labels, not the SEG: computed meanwhile on another thread
            statistics = volumeRead.thenApplyAsync(v -> measurements.statistics(job, v, labels, described), VOLUME_READS);
            seg = segWriter.write(job, segments, labels);
        } catch (ModelPackageException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // any exception of the SEG build is this result's: it fails alone (a database failure is an SQLException)
            if (e instanceof RuntimeException r && !ItemFaults.attributableToItem(r)) throw r;
            String reason = "SEG not built: " + (e instanceof ModelPackageException || e instanceof IllegalArgumentException
                    ? e.getMessage() : ItemFaults.describe(e));
            failures.fail(h, job.jobId(), "seg", reason, header.stageSeconds());
            LOG.jobFailed(job.jobId(), reason);
            return Optional.empty();
        }
        long written = System.nanoTime();
        ResultMeasurements.Measured measured = measurements.measured(job, joined(statistics), segments, seg,
                destinations.measurementReportWanted(job));
        double segBuild = Math.round((System.nanoTime() - start) / 1e6) / 1e3;
        List<String> labelsLeftOut = seg.labelsLeftOut().stream().map(LabelLeftOut::describe).toList();
        for (String leftOut : labelsLeftOut) LOG.labelLeftOut(job.jobId(), leftOut);
        Map<String, Double> stageSeconds = new HashMap<>(header.stageSeconds() == null ? Map.of() : header.stageSeconds());
        stageSeconds.putAll(consumerSeconds);
        stageSeconds.put("segBuild", segBuild);
        // its parts: the SEG file written, then the measurements (with any wait for the source volume) and report
        stageSeconds.put("segWrite", Math.round((written - start) / 1e6) / 1e3);
        stageSeconds.put("measure", Math.round((System.nanoTime() - written) / 1e6) / 1e3);
        StoredResult stored = recorder.record(h, job, header, seg, measured, labelsLeftOut, destinations.of(job), stageSeconds);
        metrics.resultStored(stageSeconds.getOrDefault("total", 0.0), segBuild);
        LOG.done(job.jobId(), seg.file(), stored.version(), seg.frameCount(), seg.fileSize(), segBuild, stored.destinations());
        return Optional.of(stored);
    }

    /** A read's or computation's outcome; what it threw (not the job's fault: those are an empty value) is thrown here. */
    private static <T> Optional<T> joined(CompletableFuture<Optional<T>> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** A dead letter: the worker gave up on the job. */
    public void failed(ResultHeader header) throws SQLException {
        UUID id = parseJobId(header.jobId());
        if (id == null) return;
        try (LogContext context = LogContext.job(id, null)) {
            deadLetter(id, header);
        }
    }

    private void deadLetter(UUID id, ResultHeader header) throws SQLException {
        String reason = "inference failed after " + header.attempts() + " attempt(s) on worker " + header.worker() + ": " + header.error();
        if (fail(id, reason)) LOG.jobFailed(id, reason);
        else LOG.deadLetterIgnored(id);
    }

    /** Fails a job that is still waiting for its result; false when it was not waiting. */
    public boolean fail(UUID jobId, String reason) throws SQLException {
        return fail(jobId, "inference", reason);
    }

    /** Fails a job that is still waiting for its result, audited with the stage that failed; false when it was not waiting. */
    public boolean fail(UUID jobId, String stage, String reason) throws SQLException {
        return failures.fail(jobId, stage, reason);
    }

    private static UUID parseJobId(String jobId) {
        try {
            return UUID.fromString(jobId);
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.foreignJobId(jobId);
            return null;
        }
    }
}
