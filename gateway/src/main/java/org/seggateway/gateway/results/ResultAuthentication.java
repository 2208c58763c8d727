package org.seggateway.gateway.results;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.queue.ResultKeys;
import org.seggateway.inference.queue.ResultHeader;
import org.seggateway.inference.queue.ResultSignature;

/**
 * Tells a worker's answer from a forged or altered one before it can touch a job: the result header (label map,
 * failure or dead letter) must carry the HMAC of its job's key ({@link ResultKeys}, sent only in the job on
 * {@code seg.jobs}), and the label map reassembled from its chunks must have the SHA-256 the signed header states.
 * Anything else is refused: audited as {@code result.refused} (job id, record position, claimed worker, reason),
 * counted ({@code seggateway_results_refused_total}), and never becomes a SEG or a job failure; the job keeps waiting
 * for its real answer.
 */
@ApplicationScoped
public class ResultAuthentication {
    private static final int MAX_TEXT = 128;

    private final ResultKeys keys;
    private final Transactions transactions;
    private final AuditTrail audit;
    private final JobAudit jobAudit;
    private final Counter refused;

    ResultAuthentication(ResultKeys keys, Transactions transactions, AuditTrail audit, JobAudit jobAudit, MeterRegistry registry) {
        this.keys = keys;
        this.transactions = transactions;
        this.audit = audit;
        this.jobAudit = jobAudit;
        this.refused = Counter.builder("seggateway.results.refused")
                .description("Result records refused: not signed with their job's key, or label map not matching its digest")
                .register(registry);
    }

    /** Whether a result header was signed with its job's key; a refused one is audited. {@code where}: topic-partition@offset. */
    public boolean headerAuthentic(ResultHeader header, String where) throws SQLException {
        if (header.jobId() == null) return refuse(header, where, "no job id");
        if (header.signature() == null) return refuse(header, where, "not signed");
        if (!ResultSignature.verify(header, keys.jobKey(header.jobId())))
            return refuse(header, where, "signature does not match the job's key");
        return true;
    }

    /** Whether the label map reassembled for an authentic header is the one it was signed for; a refused one is audited. */
    public boolean labelsAuthentic(ResultHeader header, LabelMap labels, String where) throws SQLException {
        if (header.labelsSha256() == null) return refuse(header, where, "no label map digest");
        if (!header.labelsSha256().equals(ResultSignature.labelsSha256(labels.labels())))
            return refuse(header, where, "label map does not match the digest of its signed header");
        return true;
    }

    private boolean refuse(ResultHeader header, String where, String reason) throws SQLException {
        refused.increment();
        String jobId = cut(header.jobId());
        ResultsLog.LOG.refused(where, jobId, reason);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("record", where);
        details.put("reason", reason);
        details.put("claimedWorker", cut(header.worker()));
        details.put("kind", header.failed() ? "failure" : "label map");
        UUID job = uuid(header.jobId());
        transactions.useTransaction(h -> {
            if (job != null) jobAudit.append(h, job, "result.refused", "refused", details);
            else {
                details.put("jobId", jobId);
                audit.append(h, new AuditEvent("result.refused", JobAudit.ACTOR, null, null, "refused", details));
            }
        });
        return false;
    }

    private static UUID uuid(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }
}
