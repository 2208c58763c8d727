package org.seggateway.gateway.worklist;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.gateway.results.SegmentMeasurement;

/**
 * The worklist's one-line measurement summary: each segment's label and volume, e.g.
 * {@code Liver 1,612 mL · Spleen 210 mL}, in label order, series by series; segments without a voxel are left out
 * (a model of a hundred structures would otherwise fill the line with zeros), and a result whose segments are all
 * empty reads {@link #NOTHING}. The text is the same whatever the
 * server's or the reader's locale: a comma groups thousands, a full stop marks decimals; volumes of 10 mL and more
 * are rounded to whole millilitres, smaller ones to one decimal (a 4.2 mL lesion stays visible), and a segment
 * smaller than 0.05 mL reads {@code <0.1 mL}.
 */
final class MeasurementSummary {
    static final String SEPARATOR = " \u00b7 ";
    static final String NOTHING = "no segment found";

    private MeasurementSummary() {}

    /** The summary of the given measurements (the latest result of each series); null when there are none. */
    static String of(List<List<SegmentMeasurement>> resultsMeasurements) {
        List<String> parts = new ArrayList<>();
        boolean measured = false;
        for (List<SegmentMeasurement> measurements : resultsMeasurements) {
            if (measurements == null) continue;
            measured = true;
            for (SegmentMeasurement m : measurements)
                if (m.voxelCount() > 0) parts.add(m.label() + " " + millilitres(m.volumeMl()) + " mL");
        }
        if (!measured) return null;
        return parts.isEmpty() ? NOTHING : String.join(SEPARATOR, parts);
    }

    /** {@code 1612.4} as {@code 1,612}; {@code 4.25} as {@code 4.3}. */
    static String millilitres(double ml) {
        if (ml > 0 && ml < 0.05) return "<0.1";
        BigDecimal rounded = BigDecimal.valueOf(ml).setScale(Math.abs(ml) >= 10 ? 0 : 1, RoundingMode.HALF_UP);
        String plain = rounded.toPlainString();
        int point = plain.indexOf('.');
        String whole = point < 0 ? plain : plain.substring(0, point), fraction = point < 0 ? "" : plain.substring(point);
        boolean negative = whole.startsWith("-");
        if (negative) whole = whole.substring(1);
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < whole.length(); i++) {
            if (i > 0 && (whole.length() - i) % 3 == 0) grouped.append(',');
            grouped.append(whole.charAt(i));
        }
        return (negative ? "-" : "") + grouped + fraction;
    }
}
