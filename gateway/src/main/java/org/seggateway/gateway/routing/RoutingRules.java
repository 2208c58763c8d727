package org.seggateway.gateway.routing;

import static org.seggateway.gateway.routing.RoutingLog.LOG;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.ConfigurationAudit;
import org.seggateway.gateway.database.Transactions;

/**
 * Changes to the routing rules of the database, each recorded as {@code config.changed} (the user, their address, the
 * rule before and after) in the same transaction, and in force at once in this gateway's {@link RouteCatalog}.
 */
@ApplicationScoped
public class RoutingRules {

    private final Transactions transactions;
    private final AuditTrail trail;
    private final RouteCatalog catalog;

    RoutingRules(Transactions transactions, AuditTrail trail, RouteCatalog catalog) {
        this.transactions = transactions;
        this.trail = trail;
        this.catalog = catalog;
    }

    /** Who asked for a change, from where. */
    public record Requester(String user, String address) {
    }

    /** A rule as stored, and whether it is new. */
    public record Stored(RouteView rule, boolean created) {
    }

    /** Creates or replaces a (checked) rule; the caller has made sure that no configured route has its name. */
    public Stored put(RouteView rule, Requester requester) {
        Stored stored = transactions.inTransaction(h -> {
            Optional<RouteView> before = RoutingRuleRows.lock(h, rule.name());
            RouteView after = RoutingRuleRows.put(h, rule, requester.user());
            audit(h, rule.name(), before.isEmpty() ? "created" : "replaced", before.orElse(null), after, requester);
            return new Stored(after, before.isEmpty());
        });
        LOG.rulePut(rule.name(), stored.created() ? "created" : "replaced", requester.user());
        catalog.refresh();
        return stored;
    }

    /** Deletes a rule; false if there is none of that name. */
    public boolean delete(String name, Requester requester) {
        boolean deleted = transactions.inTransaction(h -> {
            Optional<RouteView> before = RoutingRuleRows.lock(h, name);
            if (before.isEmpty()) return false;
            RoutingRuleRows.delete(h, name);
            audit(h, name, "deleted", before.get(), null, requester);
            return true;
        });
        if (deleted) {
            LOG.ruleDeleted(name, requester.user());
            catalog.refresh();
        }
        return deleted;
    }

    private void audit(Handle h, String name, String outcome, RouteView before, RouteView after, Requester requester) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("routingRule", name);
        details.put("before", before);
        details.put("after", after);
        trail.append(h, new AuditEvent(ConfigurationAudit.CHANGED, requester.user(), requester.address(), null, outcome, details));
    }
}
