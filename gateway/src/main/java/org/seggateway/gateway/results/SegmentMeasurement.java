package org.seggateway.gateway.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.seggateway.dicomio.measure.SegmentStatistics;
import org.seggateway.dicomio.seg.SegmentDescription;

/**
 * One segment's measurements as they are stored with the result ({@code results.segment_statistics}) and shown by the
 * API and the webhooks. Values are null where a segment has no voxel. docs/http-api.md "Segment measurements" says
 * what each field means.
 *
 * @param units        the unit of mean/min/max/standardDeviation: {@code HU} for CT, otherwise null (the modality's
 *                     rescaled values, without a unit the gateway can name)
 * @param connectivity the neighbourhood {@code components} were counted with (26: faces, edges and corners)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SegmentMeasurement(int labelValue, Integer segmentNumber, String label, CodeView category, CodeView type,
                                 long voxelCount, double volumeMl, Double mean, Double min, Double max,
                                 Double standardDeviation, String units, BoundingBox boundingBoxMm, int components,
                                 int connectivity, Laterality laterality) {

    public record CodeView(String code, String scheme, String meaning) {
    }

    /** Smallest and largest patient coordinates (LPS, mm) of the voxel centres of the segment. */
    public record BoundingBox(double[] min, double[] max) {
    }

    /**
     * A paired structure split at the sagittal plane x = {@code planeXMm} (LPS) through the segment's centroid; larger
     * x is the patient's left.
     */
    public record Laterality(double planeXMm, long leftVoxels, double leftMl, long rightVoxels, double rightMl) {
    }

    /** The measurements of every described segment, in label order; none when {@code statistics} is empty. */
    public static List<SegmentMeasurement> of(List<SegmentDescription> segments, Map<Integer, Integer> segmentNumbers,
                                              Map<Integer, SegmentStatistics> statistics, String modality) {
        List<SegmentMeasurement> out = new ArrayList<>();
        String units = "CT".equals(modality) ? "HU" : null;
        for (SegmentDescription s : segments) {
            SegmentStatistics st = statistics.get(s.labelValue());
            if (st == null) continue;
            SegmentStatistics.LateralSplit split = st.laterality();
            out.add(new SegmentMeasurement(s.labelValue(), segmentNumbers.get(s.labelValue()), s.label(),
                    new CodeView(s.category().value(), s.category().scheme(), s.category().meaning()),
                    new CodeView(s.type().value(), s.type().scheme(), s.type().meaning()),
                    st.voxelCount(), st.volumeMl(), finite(st.mean()), finite(st.min()), finite(st.max()),
                    finite(st.standardDeviation()), st.voxelCount() == 0 ? null : units,
                    st.boundingBoxMin() == null ? null : new BoundingBox(st.boundingBoxMin(), st.boundingBoxMax()),
                    st.components(), SegmentStatistics.CONNECTIVITY,
                    split == null ? null : new Laterality(split.planeX(), split.leftVoxels(), split.leftMl(),
                            split.rightVoxels(), split.rightMl())));
        }
        return out;
    }

    /** The measurements stored as {@code results.segment_statistics}; null for null (a result stored without them). */
    public static List<SegmentMeasurement> fromJson(String json) {
        if (json == null) return null;
        try {
            return READER.readValue(json, new TypeReference<List<SegmentMeasurement>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("results.segment_statistics is not a list of segment measurements: " + e.getMessage(), e);
        }
    }

    private static final ObjectMapper READER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
