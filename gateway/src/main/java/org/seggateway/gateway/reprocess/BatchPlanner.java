package org.seggateway.gateway.reprocess;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
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
    private final Transactions transactions;
    private final BatchRepository batches;
    private final ModelPackages models;
    private final JobSources sources;
    private final GatewayConfig config;
    private final SeriesRetriever retriever;
    private final RouteCatalog routes;

    BatchPlanner(Transactions transactions, BatchRepository batches, ModelPackages models, JobSources sources, GatewayConfig config,
                 SeriesRetriever retriever, RouteCatalog routes) {
        this.transactions = transactions;
        this.batches = batches;
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
        int max = config.reprocess().maxSeries();
        Set<String> studiesFound = transactions.withHandle(h -> planReceived(h, request, from, to, planned, leftOut, max));
        for (String study : studies)
            if (!studiesFound.contains(study)) planNeverReceived(study, QueryParameters.blankToNull(request.route()), planned, leftOut, max);
        return new BatchPlan(request.model(), model.name(), model.version(), planned, leftOut);
    }

    /** Plans the series of the selection the gateway received; returns the studies they belong to. */
    private Set<String> planReceived(Handle h, ReprocessRequest request, Instant from, Instant to, List<PlannedSeries> planned,
                                     List<LeftOut> leftOut, int max) throws SQLException {
        Set<String> studiesFound = new LinkedHashSet<>();
        String routeFilter = QueryParameters.blankToNull(request.route());
        for (BatchRepository.Candidate candidate : batches.candidates(h, request.studyUidsOrEmpty(), from, to,
                QueryParameters.blankToNull(request.previousModel()))) {
            String study = candidate.studyInstanceUid(), series = candidate.seriesInstanceUid(), route = candidate.route();
            studiesFound.add(study);
            if (routeFilter != null && !routeFilter.equals(route)) continue;
            if (route == null) leftOut.add(new LeftOut(study, series, "no route processed this series"));
            else if (routes.defined(route).isEmpty())
                leftOut.add(new LeftOut(study, series, "its route '" + route + "' is no longer configured"));
            else if ("receiving".equals(candidate.state()))
                leftOut.add(new LeftOut(study, series, "still receiving instances"));
            else {
                if (planned.size() == max)
                    throw new BadRequestException("the selection holds more than " + max
                            + " series (seg-gateway.reprocess.max-series): narrow it");
                List<JobSources.SourceFile> files = sources.latestOf(h, candidate.seriesId());
                int missing = (int) files.stream().filter(file -> !Files.exists(file.path())).count();
                planned.add(new PlannedSeries(candidate.seriesId(), study, series, candidate.version(), route, files.size(), missing,
                        missing == 0 ? "spool" : "pacs"));
            }
        }
        return studiesFound;
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
