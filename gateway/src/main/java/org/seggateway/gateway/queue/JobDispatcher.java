package org.seggateway.gateway.queue;

import static org.seggateway.gateway.queue.QueueLog.LOG;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobRepository.PendingJob;
import org.seggateway.gateway.logging.LogContext;
import org.seggateway.gateway.metrics.GatewayMetrics;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.gateway.work.LoopErrors;

/**
 * Puts jobs in state 'complete' on the queue, one at a time: locks the job row, has its volume assembled
 * ({@link VolumeAssembler}), publishes it ({@link JobPublisher}) and records it queued ({@link DispatchRecords}), all in
 * one database transaction. Called by the {@link DispatchLoop} and the reprocessing batches. The volume of a job queued
 * is kept for its result's measurements ({@link QueuedVolumes}).
 *
 * <p>The Kafka send happens inside that transaction, with the row lock held, on purpose: so two gateways never queue
 * the same job ({@code for update skip locked}), and the result, which a fast worker may send before the job is marked,
 * waits for the mark. When Kafka cannot take the job, the transaction is rolled back and the job stays 'complete', to
 * be tried again on the next pass. A job that cannot go on the queue through a fault of its own ({@link JobNotQueueable})
 * fails with its reason and a {@code job.failed} audit row, its spooled instances stay, and the pass goes on with the
 * next job; a database or Kafka failure fails no job and ends the pass.
 */
@ApplicationScoped
public class JobDispatcher {
    private static final int BATCH = 20;

    private final Transactions transactions;
    private final JobRepository jobs;
    private final VolumeAssembler volumes;
    private final JobPublisher publisher;
    private final DispatchRecords records;
    private final GatewayMetrics metrics;
    private final LoopErrors loopErrors;
    private final QueuedVolumes queuedVolumes;

    JobDispatcher(Transactions transactions, JobRepository jobs, VolumeAssembler volumes, JobPublisher publisher,
                  DispatchRecords records, GatewayMetrics metrics, LoopErrors loopErrors, QueuedVolumes queuedVolumes) {
        this.transactions = transactions;
        this.jobs = jobs;
        this.volumes = volumes;
        this.publisher = publisher;
        this.records = records;
        this.metrics = metrics;
        this.loopErrors = loopErrors;
        this.queuedVolumes = queuedVolumes;
    }

    /** What happened to one job on a pass. */
    public enum Outcome { QUEUED, FAILED, LEFT }

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
        try (LogContext context = LogContext.job(job.id(), job.seriesInstanceUid())) {
            Settled settled = transactions.inTransaction(h -> dispatchLocked(h, job));
            settled.afterCommit().run();
            return settled.outcome();
        }
    }

    /** What a dispatch came to, and what to report once its transaction has ended. */
    private record Settled(Outcome outcome, Runnable afterCommit) {
    }

    private Settled dispatchLocked(Handle h, PendingJob job) throws SQLException {
        if (!jobs.lockIfWaiting(h, job.id())) return new Settled(Outcome.LEFT, () -> { });
        VolumeAssembler.Assembled assembled;
        double publish;
        try {
            assembled = volumes.assemble(h, job);
            for (String warning : assembled.volume().warnings()) LOG.volumeWarning(job.id(), warning);
            long publishStart = System.nanoTime();
            publish(job, assembled);
            publish = Stopwatch.seconds(publishStart);
        } catch (JobNotQueueable e) {
            records.failed(h, job, e);
            return new Settled(Outcome.FAILED, () -> LOG.failedBeforeQueue(job.id(), job.seriesInstanceUid(), e.getMessage()));
        } catch (KafkaException e) {
            h.rollback();
            return new Settled(Outcome.LEFT, () -> LOG.kafkaRefused(job.id(), TopicSetup.rootMessage(e)));
        }
        records.queued(h, job, assembled, Map.of("assemble", assembled.seconds(), "publish", publish));
        return new Settled(Outcome.QUEUED, () -> {
            metrics.jobQueued(assembled.seconds());
            Volume volume = assembled.volume();
            queuedVolumes.keep(job.id(), volume, assembled.series());
            LOG.queued(job.id(), job.seriesInstanceUid(), job.seriesVersion(), assembled.model().name(), assembled.model().version(),
                    volume.voxelType().toString(),
                    volume.geometry().width() + "x" + volume.geometry().height() + "x" + volume.geometry().depth(),
                    assembled.seconds(), publish);
        });
    }

    /** Throws a {@link KafkaException} when Kafka does not take the job, {@link JobNotQueueable} when its records cannot be built. */
    private void publish(PendingJob job, VolumeAssembler.Assembled assembled) throws JobNotQueueable {
        try {
            publisher.publish(job.id().toString(), assembled.model().name(), assembled.model().version(), assembled.volume());
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            if (e instanceof Error) loopErrors.caught(DispatchLoop.NAME, e);
            throw new JobNotQueueable("publish", "job records not built: " + ItemFaults.describe(e));
        }
    }
}
