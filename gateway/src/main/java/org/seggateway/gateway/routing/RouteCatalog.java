package org.seggateway.gateway.routing;

import static org.seggateway.gateway.routing.RoutingLog.LOG;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;

/**
 * The routes in force: those of the configuration ({@code seg-gateway.routes.*}) and the enabled rules of
 * {@code routing_rules}. The rules are cached; {@link #refresh()} rereads them after a change through this gateway, and
 * a reading older than {@code seg-gateway.routing-rules.refresh-every} is renewed at the next use, for changes through
 * another gateway. A rule named like a configured route is ignored (the API refuses such names). If the table cannot be
 * read, the previous reading stays in force.
 */
@ApplicationScoped
public class RouteCatalog {
    private static final Comparator<RouteView> ORDER = Comparator.comparingInt(RouteView::priority).thenComparing(RouteView::name);

    private final Transactions transactions;
    private final Map<String, GatewayConfig.Route> configured;
    private final long refreshNanos;
    private volatile Reading reading;

    /** The routes of one reading of the table, with the configured ones. */
    private record Reading(long readAtNanos, Map<String, RouteView> views, Map<String, GatewayConfig.Route> defined,
                           Map<String, GatewayConfig.Route> inForce) {
    }

    RouteCatalog(Transactions transactions, GatewayConfig config) {
        this.transactions = transactions;
        this.configured = Map.copyOf(config.routes());
        this.refreshNanos = config.routingRules().refreshEvery().toNanos();
        this.reading = reading(List.of(), System.nanoTime() - refreshNanos - 1);
    }

    /** The routes a completed series may take, by name: the configured ones and the enabled rules. */
    public Map<String, GatewayConfig.Route> inForce() {
        return current().inForce();
    }

    /** The route of that name, configured or a rule, enabled or not (for jobs created while it was in force). */
    public Optional<GatewayConfig.Route> defined(String name) {
        return Optional.ofNullable(current().defined().get(name));
    }

    /** Every route, lowest priority number first (ties by name). */
    public List<RouteView> views() {
        return current().views().values().stream().sorted(ORDER).toList();
    }

    public Optional<RouteView> view(String name) {
        return Optional.ofNullable(current().views().get(name));
    }

    public boolean isConfigured(String name) {
        return configured.containsKey(name);
    }

    /** Rereads the rules now. */
    public void refresh() {
        reading = reading(transactions.withHandle(RoutingRuleRows::all), System.nanoTime());
    }

    private Reading current() {
        Reading r = reading;
        if (System.nanoTime() - r.readAtNanos() <= refreshNanos) return r;
        synchronized (this) {
            if (reading != r) return reading;
            try {
                refresh();
            } catch (JdbiException e) {
                LOG.rulesNotRead(Duration.ofNanos(refreshNanos), e.getMessage());
                reading = new Reading(System.nanoTime(), r.views(), r.defined(), r.inForce());
            }
            return reading;
        }
    }

    private Reading reading(List<RouteView> rules, long readAtNanos) {
        Map<String, RouteView> views = new LinkedHashMap<>();
        Map<String, GatewayConfig.Route> defined = new LinkedHashMap<>(configured);
        Map<String, GatewayConfig.Route> inForce = new LinkedHashMap<>(configured);
        configured.forEach((name, route) -> views.put(name, RouteView.of(name, route)));
        for (RouteView rule : rules) {
            if (configured.containsKey(rule.name())) {
                LOG.ruleShadowed(rule.name());
                continue;
            }
            GatewayConfig.Route route = rule.asConfigRoute();
            views.put(rule.name(), rule);
            defined.put(rule.name(), route);
            if (rule.enabled()) inForce.put(rule.name(), route);
        }
        return new Reading(readAtNanos, Map.copyOf(views), Map.copyOf(defined), Map.copyOf(inForce));
    }
}
