package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.routing.RouteCatalog;

/** Where a job's SEG goes: the destinations of its route as the route is now; none when the route was removed. */
@ApplicationScoped
public class ResultDestinations {
    private final RouteCatalog routes;

    ResultDestinations(RouteCatalog routes) {
        this.routes = routes;
    }

    public List<String> of(ResultHandler.PendingResult job) {
        GatewayConfig.Route route = job.routeName() == null ? null : routes.defined(job.routeName()).orElse(null);
        if (route == null) {
            ResultsLog.LOG.routeGone(job.jobId(), job.routeName());
            return List.of();
        }
        return new ArrayList<>(route.destinations());
    }

    /** Whether the job's route asks for a measurement report (on by default, and for a route that was removed). */
    public boolean measurementReportWanted(ResultHandler.PendingResult job) {
        GatewayConfig.Route route = job.routeName() == null ? null : routes.defined(job.routeName()).orElse(null);
        return route == null || route.measurementReport();
    }
}
