package org.seggateway.gateway.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.seggateway.gateway.results.SegmentMeasurement;

/**
 * What an HL7 or FHIR result message tells of a delivered result, kept as the body of its {@code notifications} row
 * (JSON) so that every attempt sends the same message. The patient ID and accession number are the ones the
 * modality/RIS sent with the images; no name, no birth date.
 *
 * @param eventId          one per row, for the audit trail
 * @param time             when the result's first delivery was recorded delivered (ISO-8601)
 * @param resultCreatedAt  when the SEG was built (ISO-8601): the observation time
 * @param destination      the PACS destination whose delivery made the message
 * @param measurements     per segment, as stored with the result; null when the result has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResultReport(String eventId, String time, long resultId, int resultVersion, String resultCreatedAt,
                           String patientId, String accessionNumber, String studyInstanceUid, String seriesInstanceUid,
                           String modality, String segSeriesInstanceUid, String segSopInstanceUid, String srSopInstanceUid,
                           String modelName, String modelVersion, String destination,
                           List<SegmentMeasurement> measurements) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result report of result " + resultId, e);
        }
    }

    public static ResultReport fromJson(String json) {
        try {
            return JSON.readValue(json, ResultReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a result report: " + e.getOriginalMessage(), e);
        }
    }

    /** The same report with another event id (one per notifications row). */
    public ResultReport withEventId(String id) {
        return new ResultReport(id, time, resultId, resultVersion, resultCreatedAt, patientId, accessionNumber,
                studyInstanceUid, seriesInstanceUid, modality, segSeriesInstanceUid, segSopInstanceUid, srSopInstanceUid,
                modelName, modelVersion, destination, measurements);
    }
}
