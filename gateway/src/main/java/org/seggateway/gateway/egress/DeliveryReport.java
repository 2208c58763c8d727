package org.seggateway.gateway.egress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.egress.DeliveryRepository.Due;

/**
 * Tells of recorded delivery attempts: a log line each, and the counters {@code seggateway_deliveries_delivered_total}
 * and {@code seggateway_delivery_failures_total}, by destination.
 */
@ApplicationScoped
public class DeliveryReport {
    private static final EgressLog LOG = EgressLog.LOG;

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
                LOG.delivered(due.resultId(), due.segSopInstanceUid(), due.destination(), status);
            }
            case PENDING -> {
                failureCounter(due.destination()).increment();
                LOG.attemptFailed(due.id(), due.resultId(), due.destination(), due.attempts() + 1, status,
                        attempt.nextAttemptAt());
            }
            case FAILED -> {
                failureCounter(due.destination()).increment();
                LOG.refused(due.id(), due.resultId(), due.destination(), refusalsBeforeFailed, status);
            }
        }
    }

    void poisoned(Due due, Throwable cause, String error) {
        LOG.notHandled(cause, due.id(), due.resultId(), due.destination(), error);
    }

    void claimLost(Due due, Duration lease) {
        LOG.claimLost(due.id(), due.resultId(), due.destination(), lease);
    }

    static void noNotifications(Due due, RuntimeException e) {
        LOG.noNotifications(due.id(), e.toString());
    }

    private Counter failureCounter(String destination) {
        return Counter.builder("seggateway.delivery.failures").description("Failed delivery attempts, by destination")
                .tag("destination", destination).register(registry);
    }
}
