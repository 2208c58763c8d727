package org.seggateway.gateway.completion;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobState;
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
    private static final Logger LOG = Logger.getLogger(SeriesCompletion.class);
    private static final Duration DEFAULT_QUIET_TIME = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final Router router;
    private final RouteCatalog routes;
    private final JobRepository jobs;
    private final Event<SeriesCompleted> completed;

    SeriesCompletion(DataSource dataSource, Router router, RouteCatalog routes, JobRepository jobs, Event<SeriesCompleted> completed) {
        this.dataSource = dataSource;
        this.router = router;
        this.routes = routes;
        this.jobs = jobs;
        this.completed = completed;
    }

    /** A series that was just completed, with the jobs it produced. */
    public record SeriesCompleted(long seriesId, String seriesInstanceUid, int version, RouteDecision decision) {
    }

    private record Candidate(long id, String seriesUid, String studyUid, int version, Timestamp lastReceived, String callingAe,
                             String modality, String bodyPart, String description, int instances) {
    }

    @Scheduled(every = "${seg-gateway.completion.check-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            completeQuietSeries(Instant.now());
        } catch (SQLException e) {
            LOG.errorf("series completion check failed: %s", e.getMessage());
        }
    }

    /** Completes every series quiet long enough at {@code now}; returns how many. */
    public int completeQuietSeries(Instant now) throws SQLException {
        Duration shortest = router.shortestQuietTime().orElse(DEFAULT_QUIET_TIME);
        int count = 0;
        for (Candidate candidate : quietSince(now.minus(shortest))) {
            SeriesFacts facts = facts(candidate);
            RouteDecision decision = router.route(facts);
            Duration quiet = decision.skipped() ? shortest
                    : routes.defined(decision.routeName()).map(GatewayConfig.Route::quietTime).orElse(shortest);
            if (candidate.lastReceived().toInstant().plus(quiet).isAfter(now)) continue;
            if (complete(candidate, decision)) {
                count++;
                LOG.infof("series %s (version %d) complete with %d instances: %s", candidate.seriesUid(), candidate.version(),
                        candidate.instances(), decision.skipped() ? "skipped, " + decision.skipReason() : "route " + decision.routeName());
                completed.fire(new SeriesCompleted(candidate.id(), candidate.seriesUid(), candidate.version(), decision));
            }
        }
        return count;
    }

    private List<Candidate> quietSince(Instant threshold) throws SQLException {
        List<Candidate> list = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select id, series_instance_uid, study_instance_uid, version, last_received_at, calling_ae_title, modality,
                       body_part_examined, series_description, instance_count
                from series where state = 'receiving' and last_received_at <= ? order by last_received_at limit 100""")) {
            s.setTimestamp(1, Timestamp.from(threshold));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next())
                    list.add(new Candidate(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10)));
            }
        }
        return list;
    }

    private SeriesFacts facts(Candidate candidate) throws SQLException {
        Set<String> sopClasses = new HashSet<>();
        String firstFile = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select distinct on (sop_class_uid) sop_class_uid, spool_path from instances where series_id = ? order by sop_class_uid, id")) {
            s.setLong(1, candidate.id());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sopClasses.add(rs.getString(1));
                    if (firstFile == null) firstFile = rs.getString(2);
                }
            }
        }
        List<String> imageType = List.of();
        if (firstFile != null) {
            try {
                imageType = List.of(DicomHeader.read(Path.of(firstFile)).strings("ImageType"));
            } catch (IOException e) {
                LOG.warnf("series %s: cannot read %s for routing: %s", candidate.seriesUid(), firstFile, e.getMessage());
            }
        }
        return new SeriesFacts(candidate.callingAe(), candidate.modality(), candidate.bodyPart(), candidate.description(),
                imageType, candidate.instances(), sopClasses);
    }

    private boolean complete(Candidate candidate, RouteDecision decision) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("""
                    update series set state = 'complete', completed_at = now()
                    where id = ? and state = 'receiving' and version = ? and last_received_at = ?""")) {
                s.setLong(1, candidate.id());
                s.setInt(2, candidate.version());
                s.setTimestamp(3, candidate.lastReceived());
                if (s.executeUpdate() != 1) {
                    c.rollback();
                    return false; // an instance arrived meanwhile
                }
                if (decision.skipped()) {
                    jobs.create(c, candidate.id(), candidate.version(), null, null, JobState.SKIPPED, decision.skipReason());
                } else {
                    for (String model : decision.models())
                        jobs.create(c, candidate.id(), candidate.version(), decision.routeName(), model, JobState.COMPLETE, null);
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
