package org.seggateway.gateway.notify;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.notify.NotificationRepository.Due;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.gateway.work.LoopErrors;
import org.seggateway.gateway.work.ParallelDrain;

/**
 * Sends pending {@code notifications}: webhook POSTs, HL7 result messages over MLLP and FHIR bundles
 * ({@link NotificationChannels}); what follows is said of webhooks and holds for all three, with HL7 AA as their 2xx. Every second (seg-gateway.notifications.check-every) it takes
 * the due ones: each is claimed in a short transaction with a lease ({@link NotificationClaims}, {@code claimed_until},
 * seg-gateway.notifications.claim-lease; several gateway instances never send the same one at once), POSTed with no
 * transaction open ({@link WebhookPost}), and its attempt recorded in a second short transaction only if the claim is
 * still the sender's ({@link NotificationRecorder}). A 2xx answer marks it sent; anything else (another status, no
 * connection, a timeout) leaves it pending with exponential backoff, until max-attempts attempts or max-age after its
 * event, when it is marked failed with the reason. Sent and failed notifications are appended to the audit trail. A
 * gateway that dies while sending leaves its lease, which runs out; the notification is then claimed again.
 *
 * <p>Poison isolation: an exception while one notification is handled that is not a database failure (a bug, a body
 * that is not the expected JSON, an {@link OutOfMemoryError}) marks that notification failed with the exception in
 * {@code last_error} and a {@code notification.failed} audit row, and the pass goes on with the next one. A database
 * failure marks nothing.
 *
 * <p>Sending is at least once: an outcome that cannot be recorded after the webhook accepted (the database failed, the
 * lease ran out and another sender claimed the row) sends it again later; the body's {@code eventId} lets the receiver
 * drop the repeat. Logs and the audit trail name the webhook and its host, never the URL's path or query, which may hold
 * a token.
 */
@ApplicationScoped
public class NotificationSender {
    /** For the pass's own line when it stops (the database is down); the events of notifications are {@link NotifyLog}'s. */
    private static final Logger LOG = Logger.getLogger(NotificationSender.class);

    private final NotificationClaims claims;
    private final NotificationChannels channels;
    private final NotificationRecorder recorder;
    private final GatewayConfig config;
    private final LoopErrors loopErrors;

    NotificationSender(NotificationClaims claims, NotificationChannels channels, NotificationRecorder recorder, GatewayConfig config,
                       LoopErrors loopErrors) {
        this.claims = claims;
        this.channels = channels;
        this.recorder = recorder;
        this.config = config;
        this.loopErrors = loopErrors;
    }

    @Scheduled(every = "${seg-gateway.notifications.check-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendDueNow() {
        sendDue(Instant.now());
    }

    /**
     * Attempts every pending notification due at {@code now}, up to {@code concurrency} at a time, each once. Attempts
     * are recorded at {@code now} or the clock's time, whichever is later. Returns the attempts made.
     */
    public List<NotificationAttempt> sendDue(Instant now) {
        return ParallelDrain.drain(config.notifications().concurrency(), () -> attemptNext(now), LOG, "notification pass", loopErrors);
    }

    /** Attempts due notifications until one attempt is recorded; empty when none is left to claim. */
    private Optional<NotificationAttempt> attemptNext(Instant now) throws SQLException {
        for (Optional<Due> due; (due = claims.claimNext(now)).isPresent(); ) {
            Optional<NotificationAttempt> attempt = attempt(due.get(), now);
            if (attempt.isPresent()) return attempt;
        }
        return Optional.empty();
    }

    /**
     * POSTs a claimed notification, then records the outcome if the claim is still ours; empty when it was not. A failure
     * that is not the database's marks the notification failed, so that it is not taken again and again.
     */
    private Optional<NotificationAttempt> attempt(Due due, Instant now) throws SQLException {
        String address = channels.address(due);
        Throwable failure;
        try {
            Instant attemptedAt = ParallelDrain.attemptTime(now);
            ChannelAnswer answer = channels.send(due);
            Optional<NotificationAttempt> done = recorder.record(due, address, answer, attemptedAt);
            if (done.isPresent()) NotificationReport.attempted(due, address, done.get());
            else NotificationReport.claimLost(due, claims.lease());
            return done;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            failure = e;
        }
        if (failure instanceof Error) loopErrors.caught("notification pass", failure);
        String error = "notification not handled: " + ItemFaults.describe(failure);
        try {
            NotificationAttempt failed = recorder.recordFailure(due, error, ParallelDrain.attemptTime(now));
            if (failed == null) return Optional.empty();
            NotificationReport.poisoned(due, failure, error);
            NotificationReport.attempted(due, address, failed);
            return Optional.of(failed);
        } catch (SQLException | RuntimeException e) {
            e.addSuppressed(failure);
            throw e;
        }
    }
}
