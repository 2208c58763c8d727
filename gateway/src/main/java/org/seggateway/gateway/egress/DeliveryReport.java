package org.seggateway.gateway.egress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.egress.DeliveryRepository.Due;

/**
 * Tells of recorded delivery attempts: a log line each, and the counters {@code seggateway_deliveries_delivered_total}
 * and {@code seggateway_delivery_failures_total}, by destination.
 */
@ApplicationScoped
public class DeliveryReport {
    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final MeterRegistry registry;
    private final int refusalsBeforeFailed;

    DeliveryReport(MeterRegistry registry, GatewayConfig config) {
        this.registry = registry;
        this.refusalsBeforeFailed = config.delivery().refusalsBeforeFailed();
    }

    void attempted(Due due, DeliveryAttempt attempt) {
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
                        due.id(), due.resultId(), due.destination(), refusalsBeforeFailed, status);
            }
        }
    }

    void poisoned(Due due, Throwable cause, String error) {
        LOG.errorf(cause, "delivery %d of result %d to %s marked failed: %s", due.id(), due.resultId(), due.destination(), error);
    }

    void claimLost(Due due, java.time.Duration lease) {
        LOG.warnf("delivery %d of result %d to %s: claim lost (lease of %s ran out and another sender took it); "
                + "this attempt is not recorded", due.id(), due.resultId(), due.destination(), lease);
    }

    static void noNotifications(Due due, RuntimeException e) {
        LOG.errorf("delivery %d: no notifications of its failure: %s", due.id(), e.toString());
    }

    private Counter failureCounter(String destination) {
        return Counter.builder("seggateway.delivery.failures").description("Failed delivery attempts, by destination")
                .tag("destination", destination).register(registry);
    }
}
