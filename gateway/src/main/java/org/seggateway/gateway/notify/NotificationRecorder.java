package org.seggateway.gateway.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.egress.Backoff;
import org.seggateway.gateway.notify.NotificationRepository.Due;

/**
 * Records the outcome of a claimed notification's sending in a short transaction, only while the claim is still ours:
 * sent when accepted (2xx, HL7 AA); failed, with the reason, when refused for its content (HL7 AE, FHIR 400/422) or at
 * max-attempts attempts or max-age after its event; otherwise pending with backoff.
 * Sent and failed notifications are appended to the audit trail in the same transaction; the claim is released.
 */
@ApplicationScoped
public class NotificationRecorder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Transactions transactions;
    private final NotificationRepository repository;
    private final AuditTrail audit;
    private final GatewayConfig.Notifications limits;
    private final Backoff backoff;

    NotificationRecorder(Transactions transactions, NotificationRepository repository, AuditTrail audit, GatewayConfig config) {
        this.transactions = transactions;
        this.repository = repository;
        this.audit = audit;
        this.limits = config.notifications();
        this.backoff = new Backoff(limits.initialBackoff(), limits.backoffFactor(), limits.maxBackoff());
    }

    /** The attempt as recorded; empty when the claim is no longer ours (nothing recorded). */
    public Optional<NotificationAttempt> record(Due due, String address, ChannelAnswer answer, Instant at)
            throws SQLException {
        return transactions.inTransaction(h -> {
            if (!repository.lockClaimed(h, due)) return Optional.empty();
            NotificationAttempt attempt = recordAttempt(h, due, answer, at);
            if (attempt.state() != NotificationState.PENDING) audit.append(h, auditEvent(due, address, attempt));
            return Optional.of(attempt);
        });
    }

    /** Marks a notification whose handling threw as failed with {@code error}; null when it is no longer pending and ours. */
    public NotificationAttempt recordFailure(Due due, String error, Instant at) throws SQLException {
        return transactions.inTransaction(h -> {
            if (!repository.markFailed(h, due, at, error)) return null;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("notificationId", due.id());
            details.put("webhook", due.webhook());
            if (due.channel() != NotificationChannel.WEBHOOK) details.put("channel", due.channel().column());
            details.put("event", due.eventType());
            details.put("deliveryId", due.deliveryId());
            details.put("attempts", due.attempts() + 1);
            details.put("error", error);
            audit.append(h, new AuditEvent("notification.failed", "seg-gateway", null, due.studyInstanceUid(),
                    "failed", details));
            return new NotificationAttempt(due.id(), due.webhook(), due.eventType(), due.deliveryId(), due.attempts() + 1, at,
                    null, error, NotificationState.FAILED, null, due.channel(), null);
        });
    }

    private NotificationAttempt recordAttempt(Handle h, Due due, ChannelAnswer answer, Instant at) {
        int attempt = due.attempts() + 1;
        NotificationState state;
        Instant next = null;
        String error = answer.error();
        Duration age = Duration.between(due.createdAt(), at);
        if (answer.accepted()) {
            state = NotificationState.SENT;
        } else if (answer.refused()) {
            state = NotificationState.FAILED;
            error = "refused, not retried: " + error;
        } else if (attempt >= limits.maxAttempts()) {
            state = NotificationState.FAILED;
            error = "gave up after " + attempts(attempt) + " (max-attempts " + limits.maxAttempts() + "): " + error;
        } else if (age.compareTo(limits.maxAge()) >= 0) {
            state = NotificationState.FAILED;
            error = "gave up after " + attempts(attempt) + " over " + age.truncatedTo(ChronoUnit.SECONDS)
                    + " (max-age " + limits.maxAge() + "): " + error;
        } else {
            state = NotificationState.PENDING;
            next = at.plus(backoff.after(attempt));
        }
        repository.recordOutcome(h, due.id(), state, attempt, at, answer.httpStatus(), answer.ackCode(),
                error.isEmpty() ? null : error, next);
        return new NotificationAttempt(due.id(), due.webhook(), due.eventType(), due.deliveryId(), attempt, at,
                answer.httpStatus(), error, state, next, due.channel(), answer.ackCode());
    }

    private static String attempts(int n) {
        return n + (n == 1 ? " attempt" : " attempts");
    }

    private static AuditEvent auditEvent(Due due, String address, NotificationAttempt attempt) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("notificationId", due.id());
        details.put("webhook", due.webhook());
        if (due.channel() != NotificationChannel.WEBHOOK) {
            details.put("channel", due.channel().column());
            details.put("resultId", due.resultId());
        }
        details.put("event", due.eventType());
        details.put("deliveryId", due.deliveryId());
        try {
            JsonNode body = JSON.readTree(due.body());
            details.put("eventId", body.path("eventId").asText());
            details.put("segSopInstanceUid", body.path("segSopInstanceUid").asText());
            details.put("destination", body.path("destination").asText());
        } catch (IOException e) {
            throw new IllegalStateException("notification " + due.id() + " has no JSON body", e);
        }
        details.put("attempts", attempt.attempt());
        if (attempt.httpStatus() != null) details.put("httpStatus", attempt.httpStatus());
        if (attempt.ackCode() != null) details.put("ackCode", attempt.ackCode());
        if (!attempt.error().isEmpty()) details.put("error", attempt.error());
        boolean sent = attempt.state() == NotificationState.SENT;
        return new AuditEvent(sent ? "notification.sent" : "notification.failed", "seg-gateway",
                address, due.studyInstanceUid(), sent ? "sent" : "failed",
                details);
    }
}
