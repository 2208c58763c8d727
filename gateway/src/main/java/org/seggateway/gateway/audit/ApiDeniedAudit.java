package org.seggateway.gateway.audit;

import static org.seggateway.gateway.audit.AuditLog.LOG;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;

/**
 * Records API requests (and OIDC sign-ins at {@code /signin}) answered 401, 403 or 429 (failed-login throttle) in the audit trail ({@code api.denied}), aggregated: requests are counted
 * in memory per user (the authenticated one of a 403, else {@code anonymous}), source address, status and API section
 * ({@code /api/jobs}, {@code /api/studies}, ... or {@code /api/other}), and every {@code seg-gateway.audit.denied.flush-every}
 * (and at shutdown) each group becomes one row with its count, first and last time, and up to five of its requests by
 * method and path. So a flood of anonymous requests adds a handful of rows a minute, in one transaction that takes the
 * audit chain's lock once, instead of a row and a lock per request ahead of the C-STOREs. The query string is left out:
 * it may name a patient, and a denied caller saw nothing.
 *
 * <p>A Vert.x route filter that runs before the security handlers (priority above
 * {@link SecurityHandlerPriorities#CORS}) watches the status when the response headers are written, so it sees the
 * 401 of a missing or wrong password, the 403 of a path permission policy and the 403 of {@code @RolesAllowed} alike.
 */
@ApplicationScoped
public class ApiDeniedAudit {
    public static final String TYPE = "api.denied";
    private static final int PRIORITY = SecurityHandlerPriorities.CORS + 100;
    /** A longer path is recorded cut to this length (the caller chooses it). */
    private static final int MAX_PATH = 512;
    /** The page's OIDC sign-in (security.SignInResource): a failed code flow there is a denied sign-in, as a wrong password is. */
    private static final String SIGN_IN = "/signin";
    private static final Set<String> SECTIONS = Set.of("jobs", "studies", "audit", "reprocess", "routes");

    private final Transactions transactions;
    private final AuditTrail trail;
    private final Duration flushEvery;
    private final DeniedRequestTally tally;
    private ScheduledExecutorService flusher;

    ApiDeniedAudit(Transactions transactions, AuditTrail trail, GatewayConfig config) {
        this.transactions = transactions;
        this.trail = trail;
        this.flushEvery = config.audit().denied().flushEvery();
        this.tally = new DeniedRequestTally(config.audit().denied().maxRows());
        if (flushEvery.isNegative() || flushEvery.isZero())
            throw new IllegalArgumentException("seg-gateway.audit.denied.flush-every must be positive, not " + flushEvery);
    }

    void register(@Observes Filters filters) {
        filters.register(this::watch, PRIORITY);
    }

    void start(@Observes StartupEvent event) {
        flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("api-denied-audit").daemon().factory());
        flusher.scheduleWithFixedDelay(this::flush, flushEvery.toMillis(), flushEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (flusher != null) {
            flusher.shutdown();
            try {
                flusher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }

    /** Writes the denied requests counted so far, one row per group, in one transaction. */
    public synchronized void flush() {
        List<AuditEvent> events = tally.drain();
        if (events.isEmpty()) return;
        try {
            transactions.useTransaction(h -> events.forEach(e -> trail.append(h, e)));
        } catch (RuntimeException e) {
            long requests = events.stream().mapToLong(ev -> ((Number) ev.details().get("count")).longValue()).sum();
            LOG.deniedRequestsNotRecorded(requests, events.size(), e.toString());
        }
    }

    private void watch(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (path.equals("/api") || path.startsWith("/api/") || path.startsWith("/dicomweb/") || path.equals(SIGN_IN)) {
            rc.addHeadersEndHandler(done -> {
                int status = rc.response().getStatusCode();
                if (status == 401 || status == 403 || status == 429) count(rc, path, status);
            });
        }
        rc.next();
    }

    private void count(RoutingContext rc, String path, int status) {
        String actor = "anonymous";
        if (rc.user() instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            if (identity != null && !identity.isAnonymous()) actor = identity.getPrincipal().getName();
        }
        String address = rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().hostAddress();
        tally.add(new DeniedRequestTally.Group(actor, address, status, section(path)), rc.request().method().name(),
                path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path, Instant.now());
    }

    /** The API section of a path: a fixed set, so that a caller cannot make a group per path. */
    static String section(String path) {
        if (path.startsWith("/dicomweb/")) return "/dicomweb";
        if (path.equals(SIGN_IN)) return SIGN_IN;
        String rest = path.length() > 5 ? path.substring(5) : "";
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        return "/api/" + (SECTIONS.contains(first) ? first : "other");
    }
}
