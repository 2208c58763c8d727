package org.seggateway.gateway.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.notify.NotificationRepository.Due;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.gateway.work.LoopErrors;
import org.seggateway.gateway.work.ParallelDrain;
import org.seggateway.gateway.egress.Backoff;

/**
 * POSTs pending {@code notifications} to their webhooks with the JDK HTTP client. Every second
 * (seg-gateway.notifications.check-every) it takes the due ones: each is claimed in a short transaction with a lease
 * ({@code claimed_until}, seg-gateway.notifications.claim-lease, default 10 min, longer than any webhook's timeout;
 * several gateway instances never send the same one at once), POSTed with no transaction open, and its attempt recorded
 * in a second short transaction only if the claim is still the sender's. A gateway that dies while sending leaves its
 * lease, which runs out; the notification is then claimed again. A 2xx answer marks it sent; anything else (another status, no connection, a timeout) leaves it
 * pending with exponential backoff, until max-attempts attempts or max-age after its event, when it is marked failed
 * with the reason. Sent and failed notifications are appended to the audit trail in the same transaction.
 *
 * <p>Poison isolation: an exception while one notification is handled that is not a database failure (a bug, a body
 * that is not the expected JSON, an {@link OutOfMemoryError}) marks that notification failed with the exception in
 * {@code last_error} and a {@code notification.failed} audit row, and the pass goes on with the next one. A database
 * failure marks nothing.
 *
 * <p>Sending is at least once: an outcome that cannot be recorded after the webhook accepted (the database failed, the
 * lease ran out and another sender claimed the row) sends it again later; the body's
 * {@code eventId} lets the receiver drop the repeat. Logs and the audit trail name the webhook and its host, never the
 * URL's path or query, which may hold a token.
 */
@ApplicationScoped
public class NotificationSender {
    private static final Logger LOG = Logger.getLogger(NotificationSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Of an answer that is not 2xx, this much of its body goes into last_error. */
    private static final int ERROR_BODY_CHARS = 200;

    private final Transactions transactions;
    private final NotificationRepository repository;
    private final GatewayConfig config;
    private final AuditTrail audit;
    private final Backoff backoff;
    private final HttpClient http;
    private final LoopErrors loopErrors;
    private final Duration claimLease;

    NotificationSender(Transactions transactions, NotificationRepository repository, GatewayConfig config, AuditTrail audit,
                       LoopErrors loopErrors,
                       @ConfigProperty(name = "seg-gateway.notifications.claim-lease", defaultValue = "10m") Duration claimLease) {
        this.transactions = transactions;
        this.repository = repository;
        this.config = config;
        this.audit = audit;
        this.loopErrors = loopErrors;
        if (claimLease.isNegative() || claimLease.isZero())
            throw new IllegalArgumentException("seg-gateway.notifications.claim-lease must be positive: " + claimLease);
        this.claimLease = claimLease;
        GatewayConfig.Notifications n = config.notifications();
        this.backoff = new Backoff(n.initialBackoff(), n.backoffFactor(), n.maxBackoff());
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** What the webhook answered: its status, or null when there was none, and the error text (empty for 2xx). */
    private record Answer(Integer status, String error) {
        boolean accepted() {
            return status != null && status >= 200 && status < 300;
        }
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
        for (Optional<Due> due; (due = transactions.inTransaction(h -> repository.claimNext(h, now, claimLease))).isPresent(); ) {
            Optional<NotificationAttempt> attempt = attempt(due.get(), now);
            if (attempt.isPresent()) return attempt;
        }
        return Optional.empty();
    }

    /**
     * POSTs a claimed notification with no transaction open, then records the outcome in a short transaction if the claim
     * is still ours; empty when it was not. A failure that is not the database's marks the notification failed in a
     * transaction of its own, so that it is not taken again and again.
     */
    private Optional<NotificationAttempt> attempt(Due due, Instant now) throws SQLException {
        GatewayConfig.Webhook webhook = config.webhooks().get(due.webhook());
        Throwable failure;
        try {
            Instant attemptedAt = ParallelDrain.attemptTime(now);
            Answer answer = post(due, webhook);
            Optional<NotificationAttempt> done = transactions.inTransaction(h -> {
                if (!repository.lockClaimed(h, due)) return Optional.empty();
                NotificationAttempt attempt = record(h, due, answer, attemptedAt);
                if (attempt.state() != NotificationState.PENDING) audit.append(h.getConnection(), auditEvent(due, webhook, attempt));
                return Optional.of(attempt);
            });
            if (done.isPresent()) report(due, webhook, done.get());
            else LOG.warnf("notification %d to webhook %s: claim lost (lease of %s ran out and another sender took it); "
                    + "this attempt is not recorded", due.id(), due.webhook(), claimLease);
            return done;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            failure = e;
        }
        try {
            NotificationAttempt failed = transactions.inTransaction(h -> poisoned(h, due, failure, ItemFaults.describe(failure), now));
            if (failed != null) report(due, webhook, failed);
            return Optional.ofNullable(failed);
        } catch (SQLException | RuntimeException e) {
            e.addSuppressed(failure);
            throw e;
        }
    }

    /** Marks a notification whose handling threw as failed, with the reason; null when it is no longer pending and ours. */
    private NotificationAttempt poisoned(Handle h, Due due, Throwable cause, String reason, Instant now) throws SQLException {
        if (cause instanceof Error) loopErrors.caught("notification pass", cause);
        Instant at = ParallelDrain.attemptTime(now);
        String error = "notification not handled: " + reason;
        if (!repository.markFailed(h, due, at, error)) return null;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("notificationId", due.id());
        details.put("webhook", due.webhook());
        details.put("event", due.eventType());
        details.put("deliveryId", due.deliveryId());
        details.put("attempts", due.attempts() + 1);
        details.put("error", error);
        audit.append(h.getConnection(), new AuditEvent("notification.failed", "seg-gateway", null, due.studyInstanceUid(), "failed", details));
        LOG.errorf(cause, "notification %d to webhook %s marked failed: %s", due.id(), due.webhook(), error);
        return new NotificationAttempt(due.id(), due.webhook(), due.eventType(), due.deliveryId(), due.attempts() + 1, at, null,
                error, NotificationState.FAILED, null);
    }

    private Answer post(Due due, GatewayConfig.Webhook webhook) {
        if (webhook == null)
            return new Answer(null, "webhook '" + due.webhook() + "' is not configured (seg-gateway.webhooks." + due.webhook() + ".*)");
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url()).timeout(webhook.timeout())
                    .header("Content-Type", "application/json").header("User-Agent", "seg-gateway")
                    .POST(HttpRequest.BodyPublishers.ofString(due.body(), StandardCharsets.UTF_8));
            webhook.headers().forEach(request::setHeader);
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                int status = response.statusCode();
                if (status >= 200 && status < 300) return new Answer(status, "");
                String text = new String(in.readNBytes(4 * ERROR_BODY_CHARS), StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
                if (text.length() > ERROR_BODY_CHARS) text = text.substring(0, ERROR_BODY_CHARS) + "...";
                return new Answer(status, "HTTP " + status + (text.isEmpty() ? "" : ": " + text));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, "interrupted");
        } catch (ConnectException e) {
            return new Answer(null, "cannot connect to " + hostAndPort(webhook.url())
                    + (e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            return new Answer(null, e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private NotificationAttempt record(Handle h, Due due, Answer answer, Instant at) {
        int attempt = due.attempts() + 1;
        NotificationState state;
        Instant next = null;
        String error = answer.error();
        GatewayConfig.Notifications limits = config.notifications();
        Duration age = Duration.between(due.createdAt(), at);
        if (answer.accepted()) {
            state = NotificationState.SENT;
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
        repository.recordOutcome(h, due.id(), state, attempt, at, answer.status(), error.isEmpty() ? null : error, next);
        return new NotificationAttempt(due.id(), due.webhook(), due.eventType(), due.deliveryId(), attempt, at, answer.status(),
                error, state, next);
    }

    private static String attempts(int n) {
        return n + (n == 1 ? " attempt" : " attempts");
    }

    /** host:port of the webhook, the part of its URL that is safe to record. */
    static String hostAndPort(URI url) {
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return url.getHost() + ":" + port;
    }

    private AuditEvent auditEvent(Due due, GatewayConfig.Webhook webhook, NotificationAttempt attempt) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("notificationId", due.id());
        details.put("webhook", due.webhook());
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
        if (!attempt.error().isEmpty()) details.put("error", attempt.error());
        boolean sent = attempt.state() == NotificationState.SENT;
        return new AuditEvent(sent ? "notification.sent" : "notification.failed", "seg-gateway",
                webhook == null ? null : hostAndPort(webhook.url()), due.studyInstanceUid(), sent ? "sent" : "failed", details);
    }

    private static void report(Due due, GatewayConfig.Webhook webhook, NotificationAttempt attempt) {
        String where = due.webhook() + (webhook == null ? "" : " (" + hostAndPort(webhook.url()) + ")");
        switch (attempt.state()) {
            case SENT -> LOG.infof("notification %d (%s of delivery %d) sent to webhook %s: HTTP %d", due.id(), due.eventType(),
                    due.deliveryId(), where, attempt.httpStatus());
            case PENDING -> LOG.warnf("notification %d to webhook %s failed (attempt %d): %s; next attempt at %s", due.id(), where,
                    attempt.attempt(), attempt.error(), attempt.nextAttemptAt());
            case FAILED -> LOG.errorf("notification %d (%s of delivery %d) to webhook %s marked failed: %s", due.id(),
                    due.eventType(), due.deliveryId(), where, attempt.error());
        }
    }
}
