package org.seggateway.gateway.egress;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.egress.DeliveryRepository.Due;
import org.seggateway.gateway.logging.LogContext;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.gateway.work.LoopErrors;
import org.seggateway.gateway.work.ParallelDrain;

/**
 * Sends results' SEG files to their destinations by C-STORE, or by STOW-RS to {@code kind=stow-rs} destinations
 * ({@link StowAttempt}, judged by the same rules). Every second (seg-gateway.delivery.check-every), and at once when a
 * result's deliveries are committed ({@link DeliveriesPending}), it takes
 * the pending {@code deliveries} whose next_attempt_at is due, one at a time per loop: {@link DeliveryClaims} claims
 * the row in a short transaction with a lease ({@code claimed_until}, seg-gateway.delivery.claim-lease; several gateway
 * instances never send the same delivery at once), {@link CStoreAttempt} sends the file with no transaction open and no
 * connection held, then {@link DeliveryRecorder}, in a second short transaction and only if the claim is still ours,
 * records the attempt with the DICOM status or the error in {@code delivery_attempts}, audits it and releases the
 * claim. A gateway that dies while sending leaves its lease, which runs out; the delivery is then claimed again. The
 * lease must outlast the longest C-STORE (connect, plus up to three answers of the peer within the sender's 60 s read
 * timeout each).
 *
 * <p>Outcomes: Success and warnings (0xB000, 0x0107, 0x0116, 0xBxxx) mark the delivery delivered, the status kept.
 * Anything else leaves it pending with exponential backoff (5 s doubling up to 10 min by default), forever: a
 * destination that is down, rejects the association or runs out of resources gets the result once it is back. The
 * one exception is a destination that refuses the object itself (0xA9xx "does not match SOP class", 0xCxxx "cannot
 * understand") {@code refusals-before-failed} times: the same bytes would be refused again, so the delivery is
 * marked failed, logged as an error and audited, and nothing retries it automatically. The row and the SEG file stay.
 *
 * <p>A delivery that becomes delivered or failed gets its webhook notifications
 * ({@link org.seggateway.gateway.notify.DeliveryNotifications}) in the same transaction as its outcome.
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
    /** For the pass's own line when it stops (the database is down); the events of deliveries are {@link EgressLog}'s. */
    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final DeliveryClaims claims;
    private final CStoreAttempt cStore;
    private final StowAttempt stow;
    private final DeliveryRecorder recorder;
    private final DeliveryReport report;
    private final GatewayConfig config;
    private final LoopErrors loopErrors;
    /** One pass at a time, whether the scheduler or a {@link DeliveriesPending} started it; {@code again}: one more after it. */
    private final AtomicBoolean passRunning = new AtomicBoolean(), again = new AtomicBoolean();

    DeliveryService(DeliveryClaims claims, CStoreAttempt cStore, StowAttempt stow, DeliveryRecorder recorder,
                    DeliveryReport report, GatewayConfig config, LoopErrors loopErrors) {
        this.claims = claims;
        this.cStore = cStore;
        this.stow = stow;
        this.recorder = recorder;
        this.report = report;
        this.config = config;
        this.loopErrors = loopErrors;
    }

    @Scheduled(every = "${seg-gateway.delivery.check-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deliverDueNow() {
        passes();
    }

    /**
     * A result's deliveries were just committed: a pass starts now, on a thread of its own, or right after the one
     * running (which may have missed them). Not when passes are off ({@code check-every=off}, as in tests that drive
     * {@link #deliverDue} themselves).
     */
    void deliveriesPending(@Observes DeliveriesPending event) {
        if ("off".equalsIgnoreCase(config.delivery().checkEvery().trim()) || event.count() == 0) return;
        Thread.ofVirtual().name("delivery-wake").start(this::passes);
    }

    private void passes() {
        again.set(true);
        while (again.get() && passRunning.compareAndSet(false, true)) {
            try {
                again.set(false);
                deliverDue(Instant.now());
            } finally {
                passRunning.set(false);
            }
        }
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
        for (Optional<Due> due; (due = claims.claimNext(now)).isPresent(); ) {
            Optional<DeliveryAttempt> attempt = attempt(due.get(), now);
            if (attempt.isPresent()) return attempt;
        }
        return Optional.empty();
    }

    /**
     * Sends a claimed delivery, then records the outcome if the claim is still ours; empty when it was not. A failure
     * that is not the database's marks the delivery failed, so that it is not taken again and again.
     */
    private Optional<DeliveryAttempt> attempt(Due due, Instant now) throws SQLException {
        try (LogContext context = LogContext.job(due.jobId(), due.seriesInstanceUid())) {
            return attemptInContext(due, now);
        }
    }

    private Optional<DeliveryAttempt> attemptInContext(Due due, Instant now) throws SQLException {
        GatewayConfig.Destination destination = config.destinations().get(due.destination());
        Throwable failure;
        try {
            Instant attemptedAt = ParallelDrain.attemptTime(now);
            CStoreAttempt.Answer answer = destination != null && destination.kind() == GatewayConfig.DestinationKind.STOW_RS
                    ? stow.send(due, destination) : cStore.send(due, destination);
            Optional<DeliveryAttempt> done = recorder.record(due, destination, answer, attemptedAt);
            if (done.isPresent()) report.attempted(due, done.get());
            else report.claimLost(due, claims.lease());
            return done;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            failure = e;
        }
        if (failure instanceof Error) loopErrors.caught("delivery pass", failure);
        String error = "delivery not handled: " + ItemFaults.describe(failure);
        try {
            DeliveryAttempt failed = recorder.recordFailure(due, destination, error, ParallelDrain.attemptTime(now));
            if (failed == null) return Optional.empty();
            report.poisoned(due, failure, error);
            report.attempted(due, failed);
            return Optional.of(failed);
        } catch (SQLException | RuntimeException e) {
            e.addSuppressed(failure);
            throw e;
        }
    }
}
