package org.seggateway.gateway.egress;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.egress.DeliveryRepository.Due;

/**
 * Claims due deliveries, each in a short transaction of its own, with a lease of seg-gateway.delivery.claim-lease
 * (default 10 min): longer than the longest C-STORE, so that a live sender's claim never runs out, and short enough
 * that a delivery whose sender died is sent again soon.
 */
@ApplicationScoped
public class DeliveryClaims {
    private final Transactions transactions;
    private final DeliveryRepository repository;
    private final Duration lease;

    DeliveryClaims(Transactions transactions, DeliveryRepository repository,
                   GatewayConfig config) {
        this.transactions = transactions;
        this.repository = repository;
        this.lease = config.delivery().claimLease();
    }

    /** The next pending delivery due at {@code now} that no live claim holds, now claimed by us; empty when none. */
    public Optional<Due> claimNext(Instant now) {
        return transactions.inTransaction(h -> repository.claimNext(h, now, lease));
    }

    public Duration lease() {
        return lease;
    }
}
