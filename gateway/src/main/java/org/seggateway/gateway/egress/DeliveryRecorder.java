package org.seggateway.gateway.egress;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.egress.DeliveryRepository.Due;
import org.seggateway.gateway.notify.DeliveryNotifications;

/**
 * Records the outcome of a claimed delivery's attempt in a short transaction, only while the claim is still ours: the
 * attempt row, the delivery's new state (delivered on Success or a warning; failed after refusals-before-failed
 * refusals of the object itself; otherwise pending with backoff), its webhook notifications and its audit row; the claim
 * is released.
 */
@ApplicationScoped
public class DeliveryRecorder {
    private final Transactions transactions;
    private final DeliveryRepository repository;
    private final DeliveryNotifications notifications;
    private final AuditTrail audit;
    private final Backoff backoff;
    private final int refusalsBeforeFailed;

    DeliveryRecorder(Transactions transactions, DeliveryRepository repository, DeliveryNotifications notifications,
                     AuditTrail audit, GatewayConfig config) {
        this.transactions = transactions;
        this.repository = repository;
        this.notifications = notifications;
        this.audit = audit;
        GatewayConfig.Delivery d = config.delivery();
        this.backoff = new Backoff(d.initialBackoff(), d.backoffFactor(), d.maxBackoff());
        this.refusalsBeforeFailed = d.refusalsBeforeFailed();
    }

    /** The attempt as recorded; empty when the claim is no longer ours (nothing recorded). */
    public Optional<DeliveryAttempt> record(Due due, GatewayConfig.Destination destination, CStoreAttempt.Answer answer,
                                            Instant at) throws SQLException {
        return transactions.inTransaction(h -> {
            if (!repository.lockClaimed(h, due)) return Optional.empty();
            DeliveryAttempt attempt = recordAttempt(h, due, answer, at);
            notifications.deliveryChanged(h, due.id(), attempt.state(), at);
            audit.append(h, DeliveryAuditEvent.of(due, destination, attempt));
            return Optional.of(attempt);
        });
    }

    /**
     * Marks a delivery whose handling threw as failed with {@code error}, its notifications made when they can be, in a
     * transaction of its own; null when it is no longer pending and ours.
     */
    public DeliveryAttempt recordFailure(Due due, GatewayConfig.Destination destination, String error, Instant at)
            throws SQLException {
        return transactions.inTransaction(h -> {
            if (!repository.markFailed(h, due, error)) return null;
            repository.insertAttempt(h, due.id(), at, null, error);
            DeliveryAttempt attempt = new DeliveryAttempt(due.id(), due.destination(), at, null, error, DeliveryState.FAILED, null);
            h.savepoint("before_notifications");
            try {
                notifications.deliveryChanged(h, due.id(), DeliveryState.FAILED, at);
            } catch (RuntimeException e) {
                h.rollbackToSavepoint("before_notifications"); // the same fault may lie there: the failure is recorded all the same
                DeliveryReport.noNotifications(due, e);
            }
            audit.append(h, DeliveryAuditEvent.of(due, destination, attempt));
            return attempt;
        });
    }

    private DeliveryAttempt recordAttempt(Handle h, Due due, CStoreAttempt.Answer answer, Instant at) {
        DeliveryState state;
        Instant next = null;
        if (answer.status() != null && DimseStatus.isDone(answer.status())) {
            state = DeliveryState.DELIVERED;
        } else if (isRefusal(answer) && repository.refusalsSoFar(h, due.id()) + 1 >= refusalsBeforeFailed) {
            state = DeliveryState.FAILED;
        } else {
            state = DeliveryState.PENDING;
            next = at.plus(backoff.after(due.attempts() + 1));
        }
        String error = answer.error() == null || answer.error().isEmpty() ? null : answer.error();
        repository.insertAttempt(h, due.id(), at, answer.status(), answer.httpStatus(), error);
        String lastError = state == DeliveryState.DELIVERED && answer.status() == DimseStatus.SUCCESS ? null
                : (answer.httpStatus() == null ? "" : "HTTP " + answer.httpStatus() + " ")
                + (answer.status() == null ? "" : DimseStatus.toHex(answer.status()) + " ") + (error == null ? "" : error);
        repository.recordOutcome(h, due.id(), state, next, lastError == null ? null : lastError.strip(),
                state == DeliveryState.DELIVERED ? at : null);
        return new DeliveryAttempt(due.id(), due.destination(), at, answer.status(), error == null ? "" : error, state, next);
    }

    /**
     * An answer that says the destination will not take these bytes: a refusing DICOM status (a STOW-RS Failure Reason
     * too), or, without one, an HTTP client error other than 408 and 429, which may pass.
     */
    static boolean isRefusal(CStoreAttempt.Answer answer) {
        if (answer.status() != null) return isRefusal(answer.status());
        Integer http = answer.httpStatus();
        return http != null && http >= 400 && http < 500 && http != 408 && http != 429;
    }

    /** A status that says the destination will not take these bytes, however often they are sent. */
    static boolean isRefusal(int status) {
        return (status & 0xFF00) == 0xA900 || (status & 0xF000) == 0xC000;
    }
}
