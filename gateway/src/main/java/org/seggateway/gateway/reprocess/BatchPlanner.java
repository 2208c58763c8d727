package org.seggateway.gateway.reprocess;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.routing.RouteCatalog;
import org.seggateway.gateway.jobs.JobSources;
import org.seggateway.gateway.models.ModelInfo;
import org.seggateway.gateway.models.ModelPackageException;
import org.seggateway.gateway.models.ModelPackages;
import org.seggateway.gateway.reprocess.BatchPlan.LeftOut;
import org.seggateway.gateway.reprocess.BatchPlan.PlannedSeries;
import org.seggateway.gateway.rest.QueryParameters;

/**
 * Turns a {@link ReprocessRequest} into a {@link BatchPlan}: checks the request (a reason, a selection, a readable
 * model package of the expected version) and selects the series. A series is reprocessed when a route processed it
 * before (its latest routed job names the route, whose destinations get the new SEG) and it is not receiving now. A
 * study the gateway never received is looked up in the PACS (C-FIND) when the request names the route. A bad request
 * is a {@link BadRequestException} naming the problem.
 */
@ApplicationScoped
public class BatchPlanner {
    private final DataSource dataSource;
    private final ModelPackages models;
    private final JobSources sources;
    private final GatewayConfig config;
    private final SeriesRetriever retriever;
    private final RouteCatalog routes;

    BatchPlanner(DataSource dataSource, ModelPackages models, JobSources sources, GatewayConfig config, SeriesRetriever retriever,
                 RouteCatalog routes) {
        this.dataSource = dataSource;
        this.models = models;
        this.sources = sources;
        this.config = config;
        this.retriever = retriever;
        this.routes = routes;
    }

    /** Not image series: nothing for a segmentation model. */
    private static final Set<String> NOT_IMAGES = Set.of("SEG", "SR", "PR", "KO", "RTSTRUCT", "REG", "DOC", "OT");

    public BatchPlan plan(ReprocessRequest request) throws SQLException {
        if (request == null) throw new BadRequestException("a JSON body is required");
        if (request.reason() == null || request.reason().isBlank()) throw new BadRequestException("a reason is required");
        List<String> studies = request.studyUidsOrEmpty();
        Instant from = QueryParameters.time("from", request.from(), false);
        Instant to = QueryParameters.time("to", request.to(), true);
        if (studies.isEmpty() && from == null && to == null)
            throw new BadRequestException("select series by studyUids or by a time range (from, to)");
        ModelInfo model;
        try {
            model = models.read(request.model());
        } catch (ModelPackageException e) {
            throw new BadRequestException(e.getMessage());
        }
        if (request.modelVersion() != null && !request.modelVersion().isBlank() && !request.modelVersion().equals(model.version()))
            throw new BadRequestException("model package '" + request.model() + "' is version " + model.version() + ", not "
                    + request.modelVersion());

        List<PlannedSeries> planned = new ArrayList<>();
        List<LeftOut> leftOut = new ArrayList<>();
        Set<String> studiesFound = new LinkedHashSet<>();
        int max = config.reprocess().maxSeries();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select s.id, s.study_instance_uid, s.series_instance_uid, s.version, s.state, s.instance_count,
                       (select j.route_name from jobs j where j.series_id = s.id and j.route_name is not null
                        order by j.created_at desc limit 1)
                from series s
                where (cardinality(?::varchar[]) = 0 or s.study_instance_uid = any(?::varchar[]))
                  and (?::timestamptz is null or s.last_received_at >= ?)
                  and (?::timestamptz is null or s.first_received_at < ?)
                  and (?::varchar is null or exists (select 1 from jobs j where j.series_id = s.id and j.model_name = ?))
                order by s.first_received_at, s.id""")) {
            String[] uids = studies.toArray(String[]::new);
            s.setArray(1, c.createArrayOf("varchar", uids));
            s.setArray(2, c.createArrayOf("varchar", uids));
            Timestamp f = from == null ? null : Timestamp.from(from), t = to == null ? null : Timestamp.from(to);
            s.setTimestamp(3, f);
            s.setTimestamp(4, f);
            s.setTimestamp(5, t);
            s.setTimestamp(6, t);
            String previousModel = QueryParameters.blankToNull(request.previousModel());
            s.setString(7, previousModel);
            s.setString(8, previousModel);
            String routeFilter = QueryParameters.blankToNull(request.route());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String study = rs.getString(2), series = rs.getString(3), route = rs.getString(7);
                    studiesFound.add(study);
                    if (routeFilter != null && !routeFilter.equals(route)) continue;
                    if (route == null) leftOut.add(new LeftOut(study, series, "no route processed this series"));
                    else if (routes.defined(route).isEmpty())
                        leftOut.add(new LeftOut(study, series, "its route '" + route + "' is no longer configured"));
                    else if ("receiving".equals(rs.getString(5)))
                        leftOut.add(new LeftOut(study, series, "still receiving instances"));
                    else {
                        if (planned.size() == max)
                            throw new BadRequestException("the selection holds more than " + max
                                    + " series (seg-gateway.reprocess.max-series): narrow it");
                        long id = rs.getLong(1);
                        List<JobSources.SourceFile> files = sources.latestOf(c, id);
                        int missing = (int) files.stream().filter(file -> !Files.exists(file.path())).count();
                        planned.add(new PlannedSeries(id, study, series, rs.getInt(4), route, files.size(), missing,
                                missing == 0 ? "spool" : "pacs"));
                    }
                }
            }
        }
        for (String study : studies)
            if (!studiesFound.contains(study)) planNeverReceived(study, QueryParameters.blankToNull(request.route()), planned, leftOut, max);
        return new BatchPlan(request.model(), model.name(), model.version(), planned, leftOut);
    }

    /**
     * A study the gateway never received (it predates the gateway, or went elsewhere): its image series as the PACS lists
     * them, for the route the request names (whose destinations get the SEGs), to be retrieved when their turn comes.
     */
    private void planNeverReceived(String study, String route, List<PlannedSeries> planned, List<LeftOut> leftOut, int max) {
        if (!retriever.configured()) {
            leftOut.add(new LeftOut(study, null, "no series of this study was received, and no PACS to retrieve it from is"
                    + " configured (seg-gateway.reprocess.retrieve-from)"));
            return;
        }
        if (route == null) {
            leftOut.add(new LeftOut(study, null, "no series of this study was received: name the route whose destinations get"
                    + " the SEGs (route) to retrieve it from the PACS"));
            return;
        }
        GatewayConfig.Route routeConfig = routes.defined(route).orElse(null);
        if (routeConfig == null) throw new BadRequestException("no route '" + route + "' (neither configured nor a routing rule)");
        List<SeriesRetriever.PacsSeries> found;
        try {
            found = retriever.findSeries(study);
        } catch (IOException e) {
            throw new ServerErrorException("the PACS " + retriever.pacsName() + " did not answer the C-FIND of study " + study + ": "
                    + e.getMessage(), Response.Status.BAD_GATEWAY);
        }
        if (found.isEmpty()) leftOut.add(new LeftOut(study, null, "the PACS " + retriever.pacsName() + " holds no series of this study"));
        for (SeriesRetriever.PacsSeries series : found) {
            String modality = series.modality() == null ? "" : series.modality().toUpperCase(java.util.Locale.ROOT);
            if (NOT_IMAGES.contains(modality))
                leftOut.add(new LeftOut(study, series.seriesInstanceUid(), "modality " + modality + " is not an image series"));
            else if (routeConfig.match().modalities().map(m -> m.stream().noneMatch(modality::equalsIgnoreCase)).orElse(false))
                leftOut.add(new LeftOut(study, series.seriesInstanceUid(), "modality " + modality + " is not among route " + route
                        + "'s modalities"));
            else {
                if (planned.size() == max)
                    throw new BadRequestException("the selection holds more than " + max + " series (seg-gateway.reprocess.max-series): narrow it");
                planned.add(new PlannedSeries(0, study, series.seriesInstanceUid(), 1, route, series.instances(), series.instances(), "pacs"));
            }
        }
    }
}
