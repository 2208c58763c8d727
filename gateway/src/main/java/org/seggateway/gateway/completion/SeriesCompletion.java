package org.seggateway.gateway.completion;

import static org.seggateway.gateway.completion.CompletionLog.LOG;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.JdbiException;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.ingest.InstanceRepository;
import org.seggateway.gateway.ingest.SeriesRepository;
import org.seggateway.gateway.ingest.SeriesRepository.ReceivingSeries;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.gateway.logging.LogContext;
import org.seggateway.gateway.routing.RouteCatalog;
import org.seggateway.gateway.routing.RouteDecision;
import org.seggateway.gateway.routing.Router;
import org.seggateway.gateway.routing.SeriesFacts;

/**
 * Declares a series complete when no instance arrived for its route's quiet time, then creates its jobs
 * (one per model of the route) or a skipped job with the reason. Driven by the database, so a restart
 * between the last C-STORE and completion loses nothing. An instance after completion reopens the series
 * (see the instance store) and leads here again with a higher series version.
 */
@ApplicationScoped
public class SeriesCompletion {
    private static final Duration DEFAULT_QUIET_TIME = Duration.ofSeconds(10);
    private static final int BATCH = 100;

    private final Transactions transactions;
    private final SeriesRepository seriesRows;
    private final InstanceRepository instances;
    private final Router router;
    private final RouteCatalog routes;
    private final JobRepository jobs;
    private final Event<SeriesCompleted> completed;

    SeriesCompletion(Transactions transactions, SeriesRepository seriesRows, InstanceRepository instances, Router router,
                     RouteCatalog routes, JobRepository jobs, Event<SeriesCompleted> completed) {
        this.transactions = transactions;
        this.seriesRows = seriesRows;
        this.instances = instances;
        this.router = router;
        this.routes = routes;
        this.jobs = jobs;
        this.completed = completed;
    }

    /** A series that was just completed, with the jobs it produced. */
    public record SeriesCompleted(long seriesId, String seriesInstanceUid, int version, RouteDecision decision) {
    }

    @Scheduled(every = "${seg-gateway.completion.check-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            completeQuietSeries(Instant.now());
        } catch (JdbiException e) {
            LOG.checkFailed(e.getMessage());
        }
    }

    /** Completes every series quiet long enough at {@code now}; returns how many. */
    public int completeQuietSeries(Instant now) {
        Duration shortest = router.shortestQuietTime().orElse(DEFAULT_QUIET_TIME);
        int count = 0;
        for (ReceivingSeries candidate : seriesRows.receivingQuietSince(now.minus(shortest), BATCH)) {
            try (LogContext context = LogContext.with(LogContext.SERIES_UID, candidate.seriesUid())) {
                if (completeIfQuiet(candidate, shortest, now)) count++;
            }
        }
        return count;
    }

    /** Routes the series and completes it if it has been quiet for its route's quiet time. */
    private boolean completeIfQuiet(ReceivingSeries candidate, Duration shortest, Instant now) {
        RouteDecision decision = router.route(facts(candidate));
        Duration quiet = decision.skipped() ? shortest
                : routes.defined(decision.routeName()).map(GatewayConfig.Route::quietTime).orElse(shortest);
        if (candidate.lastReceived().plus(quiet).isAfter(now)) return false;
        if (!complete(candidate, decision)) return false;
        LOG.seriesComplete(candidate.seriesUid(), candidate.version(), candidate.instances(),
                decision.skipped() ? "skipped, " + decision.skipReason() : "route " + decision.routeName());
        completed.fire(new SeriesCompleted(candidate.id(), candidate.seriesUid(), candidate.version(), decision));
        return true;
    }

    private SeriesFacts facts(ReceivingSeries candidate) {
        List<InstanceRepository.SopClassFile> classes = instances.sopClassesOf(candidate.id());
        Set<String> sopClasses = new HashSet<>();
        for (InstanceRepository.SopClassFile c : classes) sopClasses.add(c.sopClassUid());
        List<String> imageType = List.of();
        if (!classes.isEmpty()) {
            Path firstFile = classes.getFirst().spoolPath();
            try {
                imageType = List.of(DicomHeader.read(firstFile).strings("ImageType"));
            } catch (IOException e) {
                LOG.routingHeaderUnreadable(candidate.seriesUid(), firstFile, e.getMessage());
            }
        }
        return new SeriesFacts(candidate.callingAe(), candidate.modality(), candidate.bodyPart(), candidate.description(),
                imageType, candidate.instances(), sopClasses);
    }

    /** Completes the series and creates its jobs in one transaction; false when an instance arrived meanwhile. */
    private boolean complete(ReceivingSeries candidate, RouteDecision decision) {
        return transactions.inTransaction(h -> {
            if (!seriesRows.complete(h, candidate)) return false;
            if (decision.skipped()) {
                jobs.create(h, candidate.id(), candidate.version(), null, null, JobState.SKIPPED, decision.skipReason());
            } else {
                for (String model : decision.models())
                    jobs.create(h, candidate.id(), candidate.version(), decision.routeName(), model, JobState.COMPLETE, null);
            }
            return true;
        });
    }
}
