package org.seggateway.gateway.reprocess;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobState;

/**
 * The life of a reprocessing batch: creation with one job per planned series (state 'complete', left to the
 * {@link BatchDispatcher}), cancellation and its end. Each is audited in the same transaction as the change.
 */
@ApplicationScoped
public class BatchLifecycle {
    private final Transactions transactions;
    private final BatchRepository batches;
    private final JobRepository jobs;
    private final AuditTrail audit;
    private final GatewayConfig config;

    BatchLifecycle(Transactions transactions, BatchRepository batches, JobRepository jobs, AuditTrail audit, GatewayConfig config) {
        this.transactions = transactions;
        this.batches = batches;
        this.jobs = jobs;
        this.audit = audit;
        this.config = config;
    }

    /** Who asked, from where. */
    public record Requester(String user, String address) {
    }

    /** Records the batch and its jobs; audited as {@code reprocess.requested} with the reason and every job. */
    public UUID create(BatchPlan plan, ReprocessRequest request, Requester requester) throws SQLException {
        UUID id = UUID.randomUUID();
        Map<String, Object> selection = selection(request);
        String pacsAeTitle = config.reprocess().retrieveFrom().map(name -> config.destinations().get(name))
                .flatMap(GatewayConfig.Destination::aeTitle).orElse("PACS");
        transactions.useTransaction(h -> {
            batches.insert(h, id, plan, requester.user(), request.reason().trim(), selection);
            List<String> jobIds = new ArrayList<>();
            for (BatchPlan.PlannedSeries series : plan.series()) {
                // a series the gateway never received is recorded from the PACS it will be retrieved from
                long seriesId = series.seriesId() != 0 ? series.seriesId() : batches.recordNeverReceived(h, series, pacsAeTitle);
                jobIds.add(jobs.create(h, seriesId, series.seriesVersion(), series.route(), plan.modelPackage(),
                        JobState.COMPLETE, "reprocessing batch " + id, id).toString());
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("batchId", id.toString());
            details.put("reason", request.reason().trim());
            details.put("model", plan.modelName());
            details.put("modelVersion", plan.modelVersion());
            details.put("modelPackage", plan.modelPackage());
            details.put("selection", selection);
            details.put("jobs", jobIds);
            details.put("series", plan.series().stream().map(BatchPlan.PlannedSeries::seriesInstanceUid).toList());
            audit.append(h, new AuditEvent("reprocess.requested", requester.user(), requester.address(), null, "accepted", details));
        });
        return id;
    }

    /** A dry run: nothing is created, but who looked at what is recorded ({@code reprocess.dry-run}). */
    public void auditDryRun(BatchPlan plan, ReprocessRequest request, Requester requester) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", request.reason().trim());
        details.put("model", plan.modelName());
        details.put("modelVersion", plan.modelVersion());
        details.put("selection", selection(request));
        details.put("series", plan.series().stream().map(BatchPlan.PlannedSeries::seriesInstanceUid).toList());
        audit.append(new AuditEvent("reprocess.dry-run", requester.user(), requester.address(), null, "success", details));
    }

    /**
     * Cancels a running batch: its jobs not yet on the queue become 'cancelled'; those on the queue finish. Empty when
     * there is no such batch; {@link IllegalStateException} when it is no longer running.
     */
    public Optional<BatchProgress> cancel(UUID id, Requester requester) {
        boolean found = transactions.inTransaction(h -> {
            Optional<String> state = batches.lockState(h, id);
            if (state.isEmpty()) return false;
            if (!"running".equals(state.get())) throw new IllegalStateException("batch " + id + " is " + state.get() + ", not running");
            batches.markCancelled(h, id, requester.user());
            int cancelled = batches.cancelWaitingJobs(h, id, "batch cancelled by " + requester.user());
            audit.append(h, new AuditEvent("reprocess.cancelled", requester.user(), requester.address(), null, "cancelled",
                    Map.of("batchId", id.toString(), "jobsCancelled", cancelled)));
            return true;
        });
        return found ? batches.progress(id) : Optional.empty();
    }

    /** Ends running batches whose jobs have all finished, audited ({@code reprocess.finished}); returns them. */
    public List<UUID> finishCompleted() {
        return transactions.inTransaction(h -> {
            List<UUID> finished = new ArrayList<>();
            for (BatchRepository.Finished batch : batches.finishCompleted(h)) {
                finished.add(batch.id());
                audit.append(h, new AuditEvent("reprocess.finished", JobAudit.ACTOR, null, null, "done",
                        Map.of("batchId", batch.id().toString(), "requestedBy", batch.requestedBy(), "done", batch.done(),
                                "failed", batch.failed())));
            }
            return finished;
        });
    }

    private static Map<String, Object> selection(ReprocessRequest request) {
        Map<String, Object> selection = new LinkedHashMap<>();
        if (!request.studyUidsOrEmpty().isEmpty()) selection.put("studyUids", request.studyUidsOrEmpty());
        if (request.from() != null) selection.put("from", request.from());
        if (request.to() != null) selection.put("to", request.to());
        if (request.route() != null) selection.put("route", request.route());
        if (request.previousModel() != null) selection.put("previousModel", request.previousModel());
        return selection;
    }
}
