package org.seggateway.gateway.reprocess;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/** The series a reprocessing request selects, and those it names but leaves out, with the reason. */
public record BatchPlan(String modelPackage, String modelName, String modelVersion, List<PlannedSeries> series,
                        List<LeftOut> leftOut) {

    /**
     * One series to reprocess: the route whose destinations get the new SEG, and where its instances come from
     * ({@code spool}, or {@code pacs} when {@code missingFromSpool} of them must be retrieved first). {@code seriesId}
     * 0: a series the gateway never received (listed by the PACS; recorded when the batch is created).
     */
    public record PlannedSeries(@JsonIgnore long seriesId, String studyInstanceUid, String seriesInstanceUid, int seriesVersion,
                                String route, int instances, int missingFromSpool, String source) {
    }

    /** A study or series of the selection that is not reprocessed. */
    public record LeftOut(String studyInstanceUid, String seriesInstanceUid, String reason) {
    }
}
