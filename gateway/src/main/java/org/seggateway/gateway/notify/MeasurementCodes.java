package org.seggateway.gateway.notify;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.seggateway.gateway.results.SegmentMeasurement;

/**
 * The codes of what the HL7 and FHIR result messages report, the same as the measurement report (TID 1500) that goes
 * with the SEG: Volume (SCT 118565006) in mL, Attenuation Coefficient (DCM 112031) by Mean (SCT 373098007) in Hounsfield
 * units, Finding Site (SCT 363698007) for the structure; the voxel count has no standard code and is reported under the
 * gateway's own code. Units are UCUM.
 */
public final class MeasurementCodes {
    private MeasurementCodes() {}

    /** A code with its coding scheme as DICOM names it (SCT, DCM, LN, UCUM, or a local one). */
    public record Coded(String code, String scheme, String meaning) {
        public static Coded of(SegmentMeasurement.CodeView v) {
            return new Coded(v.code(), v.scheme(), v.meaning());
        }
    }

    public static final Coded VOLUME = new Coded("118565006", "SCT", "Volume");
    public static final Coded ATTENUATION = new Coded("112031", "DCM", "Attenuation Coefficient");
    public static final Coded MEAN = new Coded("373098007", "SCT", "Mean");
    public static final Coded FINDING_SITE = new Coded("363698007", "SCT", "Finding Site");
    public static final Coded STUDY_UID = new Coded("110180", "DCM", "Study Instance UID");
    public static final Coded SERIES_UID = new Coded("112002", "DCM", "Series Instance UID");
    public static final Coded SEGMENTATION = new Coded("113076", "DCM", "Segmentation");
    /** The gateway's own code: HL7 v2 local coding system 99SGW, FHIR system {@link #LOCAL_SYSTEM}. */
    public static final Coded VOXEL_COUNT = new Coded("voxel-count", "99SGW", "Number of voxels");
    public static final String LOCAL_SYSTEM = "urn:seg-gateway:measurement";

    public static final Coded MILLILITER = new Coded("mL", "UCUM", "milliliter");
    public static final Coded HOUNSFIELD = new Coded("[hnsf'U]", "UCUM", "Hounsfield unit");
    public static final Coded VOXELS = new Coded("{voxels}", "UCUM", "voxels");

    /** Volume to the microlitre. */
    public static BigDecimal volume(double ml) {
        return BigDecimal.valueOf(ml).setScale(3, RoundingMode.HALF_EVEN);
    }

    /** A mean to a hundredth of its unit. */
    public static BigDecimal mean(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN);
    }

    /** Whether the segment has a mean that the messages report: CT, at least one voxel. */
    public static boolean hasMeanHu(SegmentMeasurement m) {
        return m.mean() != null && "HU".equals(m.units());
    }

    /** The segment's number in the SEG, or its label value where the SEG numbers none. */
    public static int segmentNumber(SegmentMeasurement m) {
        return m.segmentNumber() != null ? m.segmentNumber() : m.labelValue();
    }
}
