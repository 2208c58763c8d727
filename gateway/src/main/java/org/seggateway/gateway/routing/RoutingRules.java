package org.seggateway.gateway.routing;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.ConfigurationAudit;

/**
 * Changes to the routing rules of the database, each recorded as {@code config.changed} (the user, their address, the
 * rule before and after) in the same transaction, and in force at once in this gateway's {@link RouteCatalog}.
 */
@ApplicationScoped
public class RoutingRules {
    private static final Logger LOG = Logger.getLogger(RoutingRules.class);

    private final DataSource dataSource;
    private final AuditTrail trail;
    private final RouteCatalog catalog;

    RoutingRules(DataSource dataSource, AuditTrail trail, RouteCatalog catalog) {
        this.dataSource = dataSource;
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
    public Stored put(RouteView rule, Requester requester) throws SQLException {
        Stored stored = inTransaction(c -> {
            Optional<RouteView> before = RoutingRuleRows.lock(c, rule.name());
            RouteView after = RoutingRuleRows.put(c, rule, requester.user());
            audit(c, rule.name(), before.isEmpty() ? "created" : "replaced", before.orElse(null), after, requester);
            return new Stored(after, before.isEmpty());
        });
        LOG.infof("routing rule '%s' %s by %s", rule.name(), stored.created() ? "created" : "replaced", requester.user());
        catalog.refresh();
        return stored;
    }

    /** Deletes a rule; false if there is none of that name. */
    public boolean delete(String name, Requester requester) throws SQLException {
        boolean deleted = inTransaction(c -> {
            Optional<RouteView> before = RoutingRuleRows.lock(c, name);
            if (before.isEmpty()) return false;
            RoutingRuleRows.delete(c, name);
            audit(c, name, "deleted", before.get(), null, requester);
            return true;
        });
        if (deleted) {
            LOG.infof("routing rule '%s' deleted by %s", name, requester.user());
            catalog.refresh();
        }
        return deleted;
    }

    private void audit(Connection c, String name, String outcome, RouteView before, RouteView after, Requester requester)
            throws SQLException {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("routingRule", name);
        details.put("before", before);
        details.put("after", after);
        trail.append(c, new AuditEvent(ConfigurationAudit.CHANGED, requester.user(), requester.address(), null, outcome, details));
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
