package org.seggateway.gateway.security;

import static org.seggateway.gateway.security.SecurityLog.LOG;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * Failed-login throttle per source address: a request to {@code /api} that carried credentials and was answered 401 is
 * a failure; {@code seg-gateway.http.login-failures.max} of them within {@code window} lock the address out for
 * {@code lockout}: every API request from it is answered 429 (with {@code Retry-After}) before its credentials are
 * looked at, so a password cannot be guessed faster than that. A successful sign-in clears the address's failures.
 * A Vert.x route filter ahead of the security handlers; the addresses tracked are bounded.
 */
@ApplicationScoped
public class LoginThrottle {
    private static final int PRIORITY = SecurityHandlerPriorities.CORS + 50; // after ApiDeniedAudit (+100), which so sees the 429s

    private final int max;
    private final long windowNanos, lockoutNanos;
    private final int maxAddresses;
    /** Per address, in order of last change; guarded by itself. */
    private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Failures {
        long windowStart;
        int count;
        long lockedUntil;
    }

    LoginThrottle(GatewayConfig config) {
        GatewayConfig.LoginFailures settings = config.http().loginFailures();
        if (settings.max() < 1) throw new IllegalArgumentException("seg-gateway.http.login-failures.max must be at least 1");
        this.max = settings.max();
        this.windowNanos = positive("window", settings.window()).toNanos();
        this.lockoutNanos = positive("lockout", settings.lockout()).toNanos();
        this.maxAddresses = settings.maxAddresses();
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (!(path.equals("/api") || path.startsWith("/api/")) || rc.request().remoteAddress() == null) {
            rc.next();
            return;
        }
        String address = rc.request().remoteAddress().hostAddress();
        long wait = lockedFor(address, System.nanoTime());
        if (wait > 0) {
            rc.response().setStatusCode(429).putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait / 1_000_000_000L)))
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"error\":\"too many failed sign-ins from this address; try again later\"}");
            return;
        }
        boolean credentials = rc.request().getHeader(HttpHeaders.AUTHORIZATION) != null;
        if (credentials) rc.addHeadersEndHandler(done -> {
            int status = rc.response().getStatusCode();
            if (status == 401) failed(address, System.nanoTime());
            else if (status < 400) succeeded(address);
        });
        rc.next();
    }

    /** Nanoseconds the address stays locked out, 0 when it is not. */
    long lockedFor(String address, long now) {
        synchronized (failures) {
            Failures f = failures.get(address);
            return f == null || f.lockedUntil - now <= 0 ? 0 : f.lockedUntil - now;
        }
    }

    void failed(String address, long now) {
        synchronized (failures) {
            Failures f = failures.computeIfAbsent(address, a -> new Failures());
            if (f.count == 0 || now - f.windowStart > windowNanos) {
                f.windowStart = now;
                f.count = 0;
            }
            if (++f.count >= max) {
                f.lockedUntil = now + lockoutNanos;
                f.count = 0;
                LOG.signInLockedOut(address, lockoutNanos / 1_000_000_000L, max);
            }
            if (failures.size() > maxAddresses) {
                Iterator<String> eldest = failures.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
    }

    void succeeded(String address) {
        synchronized (failures) {
            Failures f = failures.get(address);
            if (f != null && f.lockedUntil - System.nanoTime() <= 0) failures.remove(address);
        }
    }

    private static Duration positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("seg-gateway.http.login-failures." + key + " must be positive");
        return d;
    }
}
