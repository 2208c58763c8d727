package org.seggateway.gateway.queue;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeException;
import org.seggateway.dicomio.volume.VolumeLimits;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.gateway.completion.SeriesCompletion.SeriesCompleted;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobRepository.PendingJob;
import org.seggateway.gateway.jobs.JobSources;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.gateway.metrics.GatewayMetrics;
import org.seggateway.gateway.models.ModelInfo;
import org.seggateway.gateway.models.ModelPackageException;
import org.seggateway.gateway.models.ModelPackages;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.gateway.work.LoopErrors;

/**
 * Puts jobs in state 'complete' on the queue: assembles the volume from the latest version of each spooled
 * instance of the series, publishes it ({@link JobPublisher}) and marks the job 'queued', recording the
 * instances used and the volume's warnings. Runs on its own thread, woken by every series completion and at least
 * every {@code seg-gateway.queue.dispatch-every}; the first pass at start picks up jobs a restart left behind.
 *
 * <p>A series that cannot be assembled (a {@link VolumeException}: mixed sizes or Frames of Reference, tilt,
 * unsupported encoding, beyond {@code seg-gateway.volume-limits}...)
 * or a model package that cannot be read fails its job with the reason; the spooled instances stay. When
 * Kafka cannot take the job, the job stays 'complete' and is tried again on the next pass. The job row is
 * locked while it is published, so two gateways never queue the same job, and the result (which a fast
 * worker may send before the job is marked) waits for the mark.
 *
 * <p>Poison isolation: any other exception while one job's volume is assembled or its records are built (a
 * {@code ClassCastException} from an attribute with an unexpected VR, say) fails that job alone, with the exception as
 * its reason and a {@code job.failed} audit row, and the pass goes on with the next job. So does an
 * {@link OutOfMemoryError} or {@link StackOverflowError} there (the volume is dropped with the job; it is also counted in
 * {@code seggateway_loop_errors_total}). A database or Kafka failure fails no job: the pass ends and the next one
 * tries again. Anything else that reaches the loop is logged, counted, and the loop waits {@code dispatch-every} and
 * goes on: the dispatcher thread never ends before shutdown.
 */
@ApplicationScoped
public class JobDispatcher {
    private static final Logger LOG = Logger.getLogger(JobDispatcher.class);
    private static final int BATCH = 20;
    private static final String LOOP = "job-dispatcher";

    private final Transactions transactions;
    private final JobRepository jobs;
    private final JobSources sources;
    private final ModelPackages models;
    private final JobPublisher publisher;
    private final TopicSetup topics;
    private final GatewayMetrics metrics;
    private final JobAudit audit;
    private final GatewayConfig.Queue settings;
    private final VolumeLimits volumeLimits;
    private final LoopErrors loopErrors;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    JobDispatcher(Transactions transactions, JobRepository jobs, JobSources sources, ModelPackages models, JobPublisher publisher,
                  TopicSetup topics, GatewayMetrics metrics, JobAudit audit, GatewayConfig config, LoopErrors loopErrors) {
        this.transactions = transactions;
        this.jobs = jobs;
        this.sources = sources;
        this.models = models;
        this.publisher = publisher;
        this.topics = topics;
        this.metrics = metrics;
        this.audit = audit;
        this.settings = config.queue();
        this.volumeLimits = config.volumeLimits().toVolumeLimits(); // checked at start: the start observer creates this bean
        this.loopErrors = loopErrors;
    }

    /** What happened to one job on a pass. */
    public enum Outcome { QUEUED, FAILED, LEFT }

    void start(@Observes StartupEvent event) {
        if (!settings.enabled()) {
            LOG.info("queue disabled (seg-gateway.queue.enabled=false): jobs stay in state 'complete'");
            return;
        }
        // set before the thread starts: the loop must not race its own start and end at once
        running = true;
        thread = Thread.ofPlatform().name("job-dispatcher").daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void seriesCompleted(@Observes SeriesCompleted event) {
        if (!event.decision().skipped()) wake.release();
    }

    private void loop() {
        long every = settings.dispatchEvery().toMillis();
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                if (topics.ensure()) dispatchPending();
                wake.tryAcquire(every, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (ItemFaults.attributableToItem(e)) loopErrors.caught(LOOP, e); // a bug, not an outage
                else LOG.errorf("job dispatch pass failed, next try in %d ms: %s", every, e.getMessage());
                if (!LoopErrors.backoff(settings.dispatchEvery())) return;
            } catch (Error e) {
                loopErrors.caught(LOOP, e);
                if (!LoopErrors.backoff(settings.dispatchEvery())) return;
            }
        }
    }

    /** One pass over the jobs waiting in state 'complete'; returns how many it queued. Stops at a Kafka error. */
    public int dispatchPending() throws SQLException {
        int queued = 0;
        while (true) {
            List<PendingJob> batch = jobs.awaitingQueue(BATCH);
            int settled = 0;
            for (PendingJob job : batch) {
                Outcome outcome = dispatch(job);
                if (outcome == Outcome.LEFT) return queued;
                if (outcome == Outcome.QUEUED) queued++;
                settled++;
            }
            if (batch.size() < BATCH || settled == 0) return queued;
        }
    }

    /** Assembles, publishes and marks one job. */
    public Outcome dispatch(PendingJob job) throws SQLException {
        Settled settled = transactions.inTransaction(h -> dispatchLocked(h, job));
        settled.afterCommit().run();
        return settled.outcome();
    }

    /** What a dispatch came to, and what to report once its transaction has ended. */
    private record Settled(Outcome outcome, Runnable afterCommit) {
    }

    private Settled dispatchLocked(Handle h, PendingJob job) throws SQLException {
        if (!jobs.lockIfWaiting(h, job.id())) return new Settled(Outcome.LEFT, () -> { });
        long start = System.nanoTime();
        ModelInfo model;
        List<JobSources.SourceFile> files;
        Volume volume;
        try {
            model = models.read(job.modelPackage());
            files = sources.latestOf(h, job.seriesId());
            long missing = files.stream().filter(f -> !java.nio.file.Files.exists(f.path())).count();
            if (missing > 0)
                throw new IOException(missing + " of " + files.size() + " instances are no longer in the spool (spool retention"
                        + " or removed by hand); reprocess the series (POST /api/reprocess) to retrieve them from the PACS");
            volume = VolumeReader.read(JobSources.scan(files, job.seriesInstanceUid()), volumeLimits);
        } catch (ModelPackageException | VolumeException | IOException e) {
            return failBeforeQueue(h, job, "assemble", e.getMessage());
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            if (e instanceof Error) loopErrors.caught(LOOP, e);
            return failBeforeQueue(h, job, "assemble", "volume not assembled: " + ItemFaults.describe(e));
        }
        for (String warning : volume.warnings()) LOG.infof("job %s: %s", job.id(), warning);
        double assemble = seconds(start);
        long publishStart = System.nanoTime();
        try {
            publisher.publish(job.id().toString(), model.name(), model.version(), volume);
        } catch (KafkaException e) {
            h.rollback();
            return new Settled(Outcome.LEFT, () -> LOG.errorf("job %s left in state 'complete': Kafka did not take it: %s", job.id(),
                    TopicSetup.rootMessage(e)));
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            if (e instanceof Error) loopErrors.caught(LOOP, e);
            return failBeforeQueue(h, job, "publish", "job records not built: " + ItemFaults.describe(e));
        }
        double publish = seconds(publishStart);
        if (!jobs.markQueued(h, job.id(), model.name(), model.version(),
                files.stream().map(JobSources.SourceFile::instanceId).toList(), Map.of("assemble", assemble, "publish", publish)))
            throw new SQLException("job " + job.id() + " left state 'complete' while locked"); // cannot happen under the row lock
        jobs.recordVolumeWarnings(h, job.id(), job.seriesInstanceUid(), volume.warnings());
        audit.append(h, job.id(), "job.queued", "queued", Map.of("model", model.name(), "modelVersion", model.version(),
                "instances", files.size()));
        return new Settled(Outcome.QUEUED, () -> {
            metrics.jobQueued(assemble);
            LOG.infof("job %s queued: series %s version %d, %s %s, %s %s, assembled in %.2f s, published in %.2f s", job.id(),
                    job.seriesInstanceUid(), job.seriesVersion(), model.name(), model.version(), volume.voxelType(),
                    volume.geometry().width() + "x" + volume.geometry().height() + "x" + volume.geometry().depth(), assemble, publish);
        });
    }

    /** Fails a locked job that cannot go on the queue, with its reason and an audit row. */
    private Settled failBeforeQueue(Handle h, PendingJob job, String stage, String reason) throws SQLException {
        if (jobs.transition(h, job.id(), JobState.COMPLETE, JobState.FAILED, reason, Map.of()))
            audit.append(h, job.id(), "job.failed", "failed", Map.of("stage", stage, "reason", reason));
        return new Settled(Outcome.FAILED, () -> LOG.warnf("job %s (series %s) failed before the queue: %s", job.id(),
                job.seriesInstanceUid(), reason));
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3;
    }
}
