package org.seggateway.gateway.reprocess;

import static org.seggateway.gateway.reprocess.ReprocessLog.LOG;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobRepository.PendingJob;
import org.seggateway.gateway.jobs.JobSources;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.gateway.logging.LogContext;
import org.seggateway.gateway.queue.JobDispatcher;
import org.seggateway.gateway.queue.TopicSetup;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.gateway.work.LoopErrors;

/**
 * Puts the jobs of running batches on the queue, at most {@code seg-gateway.reprocess.max-in-flight} at a time over
 * all batches, and none while a live job waits for a worker, so that a live series (queued by the {@link JobDispatcher}
 * as soon as it completes) waits behind no more than that many batch jobs. Before a job is queued, instances no longer in the spool are retrieved from the PACS
 * ({@link SeriesRetriever}); a PACS that cannot be reached leaves the job waiting, with the reason, for
 * {@code retrieve.retry-after}; instances the PACS does not have fail the job. Batches whose jobs have all finished
 * end here too.
 *
 * <p>Poison isolation: a job whose retrieval or dispatch throws anything but a database or Kafka failure fails alone
 * with the reason ({@link JobDispatcher#dispatch} fails it; a retrieval here), and the pass goes on. Anything that
 * still reaches the scheduled pass is logged and counted ({@code seggateway_loop_errors_total{loop="batch-dispatch"}});
 * the next pass runs as usual.
 */
@ApplicationScoped
public class BatchDispatcher {
    private static final String LOOP = "batch-dispatch";

    private final Transactions transactions;
    private final BatchRepository batches;
    private final BatchLifecycle lifecycle;
    private final JobRepository jobs;
    private final JobSources sources;
    private final JobDispatcher dispatcher;
    private final SeriesRetriever retriever;
    private final TopicSetup topics;
    private final JobAudit audit;
    private final GatewayConfig config;
    private final LoopErrors loopErrors;
    /** Jobs waiting for an unreachable PACS, and until when. */
    private final Map<UUID, Instant> retryAt = new ConcurrentHashMap<>();

    BatchDispatcher(Transactions transactions, BatchRepository batches, BatchLifecycle lifecycle, JobRepository jobs,
                    JobSources sources, JobDispatcher dispatcher, SeriesRetriever retriever, TopicSetup topics, JobAudit audit,
                    GatewayConfig config, LoopErrors loopErrors) {
        this.transactions = transactions;
        this.batches = batches;
        this.lifecycle = lifecycle;
        this.jobs = jobs;
        this.sources = sources;
        this.dispatcher = dispatcher;
        this.retriever = retriever;
        this.topics = topics;
        this.audit = audit;
        this.config = config;
        this.loopErrors = loopErrors;
    }

    @Scheduled(every = "${seg-gateway.reprocess.check-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.queue().enabled()) return;
        try {
            if (topics.ensure()) dispatchDue();
        } catch (Exception e) {
            if (ItemFaults.attributableToItem(e)) loopErrors.caught(LOOP, e);
            else LOG.dispatchPassFailed(e.toString());
        } catch (Error e) {
            loopErrors.caught(LOOP, e);
        }
    }

    /**
     * One pass: queues batch jobs while fewer than the limit are in flight, then ends finished batches; returns how many it
     * queued. One gateway at a time runs a pass (a PostgreSQL advisory lock), so the limit holds over all of them.
     */
    public int dispatchDue() throws SQLException {
        try (Handle session = transactions.open()) {
            if (!batches.tryLockDispatch(session)) return 0;
            try {
                return dispatchDueLocked();
            } finally {
                batches.unlockDispatch(session);
            }
        }
    }

    private int dispatchDueLocked() throws SQLException {
        Instant now = Instant.now();
        retryAt.values().removeIf(at -> !at.isAfter(now));
        int queued = 0;
        int room = batches.liveWaiting() > 0 ? 0 : config.reprocess().maxInFlight() - batches.inFlight();
        while (room > 0) {
            List<PendingJob> next = batches.waiting(retryAt.keySet(), 1);
            if (next.isEmpty()) break;
            PendingJob job = next.getFirst();
            JobDispatcher.Outcome outcome;
            try (LogContext context = LogContext.job(job.id(), job.seriesInstanceUid())) {
                if (!sourcesReady(job)) continue;
                outcome = dispatcher.dispatch(job);
            }
            if (outcome == JobDispatcher.Outcome.LEFT) break;
            if (outcome == JobDispatcher.Outcome.QUEUED) {
                queued++;
                room--;
            }
        }
        for (UUID finished : lifecycle.finishCompleted()) LOG.batchFinished(finished);
        return queued;
    }

    /** Whether every instance of the job's series is in the spool, retrieving the missing ones (or all) first. */
    private boolean sourcesReady(PendingJob job) throws SQLException {
        int missing = missing(job);
        if (missing == 0) return true;
        String what = missing < 0 ? "the series (never received by the gateway)" : missing + " instance(s)";
        if (!retriever.configured()) {
            fail(job, (missing < 0 ? "the gateway never received the series" : missing + " instance(s) are no longer in the spool")
                    + " and no PACS to retrieve them from is configured (seg-gateway.reprocess.retrieve-from)");
            return false;
        }
        SeriesRetriever.Retrieval retrieval;
        try {
            retrieval = retriever.retrieve(job.studyInstanceUid(), job.seriesInstanceUid());
        } catch (IOException e) {
            String reason = "waiting for the PACS " + retriever.pacsName() + " to retrieve " + what + ": " + e.getMessage();
            retryAt.put(job.id(), Instant.now().plus(config.reprocess().retrieve().retryAfter()));
            jobs.transition(job.id(), JobState.COMPLETE, JobState.COMPLETE, reason, Map.of());
            LOG.waitingForPacs(job.id(), job.seriesInstanceUid(), reason, config.reprocess().retrieve().retryAfter());
            return false;
        } catch (IllegalStateException e) {
            fail(job, e.getMessage());
            return false;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            if (e instanceof Error) loopErrors.caught(LOOP, e);
            fail(job, "retrieval failed: " + ItemFaults.describe(e));
            return false;
        }
        int stillMissing = missing(job);
        if (stillMissing != 0) {
            fail(job, (stillMissing < 0 ? "the PACS returned no instance of the series"
                    : stillMissing + " instance(s) missing from the spool after retrieval") + ": " + retrieval.describe());
            return false;
        }
        return true;
    }

    /** Instances of the series not in the spool; -1 when the gateway has none recorded. */
    private int missing(PendingJob job) throws SQLException {
        List<JobSources.SourceFile> files = transactions.withHandle(h -> sources.latestOf(h, job.seriesId()));
        if (files.isEmpty()) return -1;
        return (int) files.stream().filter(f -> !Files.exists(f.path())).count();
    }

    private void fail(PendingJob job, String reason) throws SQLException {
        transactions.useTransaction(h -> {
            if (jobs.transition(h, job.id(), JobState.COMPLETE, JobState.FAILED, reason, Map.of()))
                audit.append(h, job.id(), "job.failed", "failed", Map.of("stage", "retrieve", "reason", reason));
        });
        LOG.batchJobFailed(job.id(), job.seriesInstanceUid(), reason);
    }
}
