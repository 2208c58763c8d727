package org.seggateway.gateway.egress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreOutcome;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.egress.DeliveryRepository.Due;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.gateway.work.LoopErrors;
import org.seggateway.gateway.work.ParallelDrain;
import org.seggateway.gateway.notify.DeliveryNotifications;

/**
 * Sends results' SEG files to their destinations by C-STORE. Every second (seg-gateway.delivery.check-every) it takes
 * the pending {@code deliveries} whose next_attempt_at is due, one at a time per loop: it claims the row in a short
 * transaction with a lease ({@code claimed_until}, seg-gateway.delivery.claim-lease, default 10 min; several gateway
 * instances never send the same delivery at once), sends the file with no transaction open and no connection held,
 * then in a second short transaction, only if the claim is still its own, records the attempt with the DICOM status or
 * the error in {@code delivery_attempts}, audits it and releases the claim. A gateway that dies while sending leaves
 * its lease, which runs out; the delivery is then claimed again. The lease must outlast the longest C-STORE (connect,
 * plus up to three answers of the peer within the sender's 60 s read timeout each).
 *
 * <p>Outcomes: Success and warnings (0xB000, 0x0107, 0x0116, 0xBxxx) mark the delivery delivered, the status kept.
 * Anything else leaves it pending with exponential backoff (5 s doubling up to 10 min by default), forever: a
 * destination that is down, rejects the association or runs out of resources gets the result once it is back. The
 * one exception is a destination that refuses the object itself (0xA9xx "does not match SOP class", 0xCxxx "cannot
 * understand") {@code refusals-before-failed} times: the same bytes would be refused again, so the delivery is
 * marked failed, logged as an error and audited, and nothing retries it automatically. The row and the SEG file stay.
 *
 * <p>A delivery that becomes delivered or failed gets its webhook notifications ({@link DeliveryNotifications}) in
 * the same transaction.
 *
 * <p>Poison isolation: an exception while one delivery is handled that is not a database failure (a bug, an unexpected
 * value in its rows, an {@link OutOfMemoryError}) marks that delivery failed with the exception in {@code last_error}
 * (an attempt row and a {@code delivery} audit row with outcome failed, its {@code delivery.failed} notifications when
 * they can be made), and the pass goes on with the next delivery. A database failure marks nothing.
 *
 * <p>Delivery is at least once: if the outcome cannot be recorded after the destination stored the SEG (the database
 * failed, the lease ran out and another sender claimed the row), it is sent again later with the same SOP Instance UID.
 * A database failure while recording leaves the delivery claimed until its lease runs out.
 */
@ApplicationScoped
public class DeliveryService {
    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final Transactions transactions;
    private final DeliveryRepository repository;
    private final GatewayConfig config;
    private final AuditTrail audit;
    private final DeliveryNotifications notifications;
    private final MeterRegistry registry;
    private final Backoff backoff;
    private final LoopErrors loopErrors;
    private final Duration claimLease;

    DeliveryService(Transactions transactions, DeliveryRepository repository, GatewayConfig config, AuditTrail audit,
                    DeliveryNotifications notifications, MeterRegistry registry, LoopErrors loopErrors,
                    @ConfigProperty(name = "seg-gateway.delivery.claim-lease", defaultValue = "10m") Duration claimLease) {
        this.transactions = transactions;
        this.repository = repository;
        this.config = config;
        this.audit = audit;
        this.notifications = notifications;
        this.registry = registry;
        this.loopErrors = loopErrors;
        if (claimLease.isNegative() || claimLease.isZero())
            throw new IllegalArgumentException("seg-gateway.delivery.claim-lease must be positive: " + claimLease);
        this.claimLease = claimLease;
        GatewayConfig.Delivery d = config.delivery();
        this.backoff = new Backoff(d.initialBackoff(), d.backoffFactor(), d.maxBackoff());
    }

    /** What the destination said: its status, or null when there was none, and the error text. */
    private record Sent(Integer status, String error) {}

    @Scheduled(every = "${seg-gateway.delivery.check-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deliverDueNow() {
        deliverDue(Instant.now());
    }

    /**
     * Attempts every pending delivery due at {@code now}, with up to {@code concurrency} sends at a time; each is
     * attempted once. Attempts are recorded at {@code now} or the clock's time, whichever is later. Returns the
     * attempts made.
     */
    public List<DeliveryAttempt> deliverDue(Instant now) {
        return ParallelDrain.drain(config.delivery().concurrency(), () -> attemptNext(now), LOG, "delivery pass", loopErrors);
    }

    /** Attempts due deliveries until one attempt is recorded; empty when none is left to claim. */
    private Optional<DeliveryAttempt> attemptNext(Instant now) throws SQLException {
        for (Optional<Due> due; (due = transactions.inTransaction(h -> repository.claimNext(h, now, claimLease))).isPresent(); ) {
            Optional<DeliveryAttempt> attempt = attempt(due.get(), now);
            if (attempt.isPresent()) return attempt;
        }
        return Optional.empty();
    }

    /**
     * Sends a claimed delivery with no transaction open, then records the outcome in a short transaction if the claim is
     * still ours; empty when it was not. A failure that is not the database's marks the delivery failed in a transaction
     * of its own, so that it is not taken again and again.
     */
    private Optional<DeliveryAttempt> attempt(Due due, Instant now) throws SQLException {
        Throwable failure;
        try {
            Instant attemptedAt = ParallelDrain.attemptTime(now);
            GatewayConfig.Destination destination = config.destinations().get(due.destination());
            Sent sent = send(due, destination);
            Optional<DeliveryAttempt> done = transactions.inTransaction(h -> {
                if (!repository.lockClaimed(h, due)) return Optional.empty();
                DeliveryAttempt attempt = record(h, due, sent, attemptedAt);
                notifications.deliveryChanged(h, due.id(), attempt.state(), attemptedAt);
                audit.append(h.getConnection(), auditEvent(due, destination, attempt));
                return Optional.of(attempt);
            });
            if (done.isPresent()) report(due, done.get());
            else LOG.warnf("delivery %d of result %d to %s: claim lost (lease of %s ran out and another sender took it); "
                    + "this attempt is not recorded", due.id(), due.resultId(), due.destination(), claimLease);
            return done;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            failure = e;
        }
        try {
            DeliveryAttempt failed = transactions.inTransaction(h -> poisoned(h, due, failure, ItemFaults.describe(failure), now));
            if (failed != null) report(due, failed);
            return Optional.ofNullable(failed);
        } catch (SQLException | RuntimeException e) {
            e.addSuppressed(failure);
            throw e;
        }
    }

    /** Marks a delivery whose handling threw as failed, with the reason; null when it is no longer pending and ours. */
    private DeliveryAttempt poisoned(Handle h, Due due, Throwable cause, String reason, Instant now) throws SQLException {
        if (cause instanceof Error) loopErrors.caught("delivery pass", cause);
        Instant at = ParallelDrain.attemptTime(now);
        String error = "delivery not handled: " + reason;
        if (!repository.markFailed(h, due, error)) return null;
        repository.insertAttempt(h, due.id(), at, null, error);
        DeliveryAttempt attempt = new DeliveryAttempt(due.id(), due.destination(), at, null, error, DeliveryState.FAILED, null);
        h.savepoint("before_notifications");
        try {
            notifications.deliveryChanged(h, due.id(), DeliveryState.FAILED, at);
        } catch (RuntimeException e) {
            h.rollbackToSavepoint("before_notifications"); // the same fault may lie there: the delivery's failure is recorded all the same
            LOG.errorf("delivery %d: no notifications of its failure: %s", due.id(), e.toString());
        }
        audit.append(h.getConnection(), auditEvent(due, config.destinations().get(due.destination()), attempt));
        LOG.errorf(cause, "delivery %d of result %d to %s marked failed: %s", due.id(), due.resultId(), due.destination(), error);
        return attempt;
    }

    private static Sent send(Due due, GatewayConfig.Destination destination) {
        if (destination == null)
            return new Sent(null, "destination '" + due.destination() + "' is not configured (seg-gateway.destinations."
                    + due.destination() + ".*)");
        try {
            RemoteAe peer = new RemoteAe(destination.host(), destination.port(), destination.aeTitle());
            StoreOutcome outcome = new DicomSender(destination.callingAeTitle()).store(peer, List.of(Path.of(due.segPath())))
                    .outcomes().getFirst();
            return new Sent(outcome.status() == DimseStatus.NO_RESPONSE ? null : outcome.status(), outcome.error());
        } catch (IOException | RuntimeException e) {
            return new Sent(null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private DeliveryAttempt record(Handle h, Due due, Sent sent, Instant at) {
        DeliveryState state;
        Instant next = null;
        if (sent.status() != null && DimseStatus.isDone(sent.status())) {
            state = DeliveryState.DELIVERED;
        } else if (sent.status() != null && isRefusal(sent.status())
                && repository.refusalsSoFar(h, due.id()) + 1 >= config.delivery().refusalsBeforeFailed()) {
            state = DeliveryState.FAILED;
        } else {
            state = DeliveryState.PENDING;
            next = at.plus(backoff.after(due.attempts() + 1));
        }
        String error = sent.error() == null || sent.error().isEmpty() ? null : sent.error();
        repository.insertAttempt(h, due.id(), at, sent.status(), error);
        String lastError = state == DeliveryState.DELIVERED && sent.status() == DimseStatus.SUCCESS ? null
                : (sent.status() == null ? "" : DimseStatus.toHex(sent.status()) + " ") + (error == null ? "" : error);
        repository.recordOutcome(h, due.id(), state, next, lastError == null ? null : lastError.strip(),
                state == DeliveryState.DELIVERED ? at : null);
        return new DeliveryAttempt(due.id(), due.destination(), at, sent.status(), error == null ? "" : error, state, next);
    }

    /** A status that says the destination will not take these bytes, however often they are sent. */
    static boolean isRefusal(int status) {
        return (status & 0xFF00) == 0xA900 || (status & 0xF000) == 0xC000;
    }

    private static AuditEvent auditEvent(Due due, GatewayConfig.Destination destination, DeliveryAttempt attempt) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deliveryId", due.id());
        details.put("resultId", due.resultId());
        details.put("destination", due.destination());
        details.put("segSopInstanceUid", due.segSopInstanceUid());
        details.put("attempt", due.attempts() + 1);
        if (attempt.dicomStatus() != null) details.put("status", DimseStatus.toHex(attempt.dicomStatus()));
        if (!attempt.error().isEmpty()) details.put("error", attempt.error());
        if (attempt.nextAttemptAt() != null) details.put("nextAttemptAt", attempt.nextAttemptAt().toString());
        String actor = destination == null ? "seg-gateway" : destination.callingAeTitle();
        String address = destination == null ? null : destination.host() + ":" + destination.port();
        if (destination != null) details.put("calledAeTitle", destination.aeTitle());
        String outcome = switch (attempt.state()) {
            case DELIVERED -> "delivered";
            case PENDING -> "retry";
            case FAILED -> "failed";
        };
        return new AuditEvent("delivery", actor, address, due.studyInstanceUid(), outcome, details);
    }

    private void report(Due due, DeliveryAttempt attempt) {
        String status = (attempt.dicomStatus() == null ? "no status" : DimseStatus.toHex(attempt.dicomStatus()))
                + (attempt.error().isEmpty() ? "" : ": " + attempt.error());
        switch (attempt.state()) {
            case DELIVERED -> {
                Counter.builder("seggateway.deliveries.delivered").description("SEGs delivered to a destination")
                        .tag("destination", due.destination()).register(registry).increment();
                LOG.infof("delivered result %d (SEG %s) to %s: %s", due.resultId(), due.segSopInstanceUid(), due.destination(), status);
            }
            case PENDING -> {
                failureCounter(due.destination()).increment();
                LOG.warnf("delivery %d of result %d to %s failed (attempt %d): %s; next attempt at %s", due.id(),
                        due.resultId(), due.destination(), due.attempts() + 1, status, attempt.nextAttemptAt());
            }
            case FAILED -> {
                failureCounter(due.destination()).increment();
                LOG.errorf("delivery %d of result %d to %s refused %d times (%s); marked failed, not retried",
                        due.id(), due.resultId(), due.destination(), config.delivery().refusalsBeforeFailed(), status);
            }
        }
    }

    private Counter failureCounter(String destination) {
        return Counter.builder("seggateway.delivery.failures").description("Failed delivery attempts, by destination")
                .tag("destination", destination).register(registry);
    }
}
