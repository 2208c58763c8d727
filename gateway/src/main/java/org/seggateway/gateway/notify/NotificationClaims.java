package org.seggateway.gateway.notify;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.notify.NotificationRepository.Due;

/**
 * Claims due notifications, each in a short transaction of its own, with a lease of
 * seg-gateway.notifications.claim-lease (default 10 min): longer than any webhook's timeout, so that a live sender's
 * claim never runs out, and short enough that a notification whose sender died is sent again soon.
 */
@ApplicationScoped
public class NotificationClaims {
    private final Transactions transactions;
    private final NotificationRepository repository;
    private final Duration lease;

    NotificationClaims(Transactions transactions, NotificationRepository repository,
                       GatewayConfig config) {
        this.transactions = transactions;
        this.repository = repository;
        this.lease = config.notifications().claimLease();
    }

    /** The next pending notification due at {@code now} that no live claim holds, now claimed by us; empty when none. */
    public Optional<Due> claimNext(Instant now) {
        return transactions.inTransaction(h -> repository.claimNext(h, now, lease));
    }

    public Duration lease() {
        return lease;
    }
}
