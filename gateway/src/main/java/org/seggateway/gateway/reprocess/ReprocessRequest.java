package org.seggateway.gateway.reprocess;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A request to run a model package over past series. The selection is the series of {@code studyUids}, or those
 * received in [{@code from}, {@code to}), narrowed by the route that processed them and by a model that ran on them.
 */
@Schema(description = "What to reprocess, with which model package, and why")
public record ReprocessRequest(
        @Schema(description = "Study Instance UIDs; all their routed series") List<String> studyUids,
        @Schema(description = "series with an instance received at or after this time (ISO-8601 instant or date)") String from,
        @Schema(description = "series first received before this time (ISO-8601 instant, or a date: up to its end)") String to,
        @Schema(description = "only series that this route processed") String route,
        @Schema(description = "only series that a model of this name ran on") String previousModel,
        @Schema(description = "model package to run (as in a route's models)", required = true) String model,
        @Schema(description = "the version model.json of that package must declare; refused when it differs") String modelVersion,
        @Schema(description = "why, for the audit trail", required = true) String reason,
        @Schema(description = "only say what would be reprocessed") boolean dryRun) {

    public List<String> studyUidsOrEmpty() {
        return studyUids == null ? List.of() : studyUids.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
