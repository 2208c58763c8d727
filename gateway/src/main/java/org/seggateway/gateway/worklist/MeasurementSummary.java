package org.seggateway.gateway.worklist;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.gateway.results.SegmentMeasurement;

/**
 * The worklist's one-line measurement summary: each measured segment's label and volume, e.g.
 * {@code Liver 1,612 mL · Spleen 210 mL}, in label order, series by series. The text is the same whatever the
 * server's or the reader's locale: a comma groups thousands, a full stop marks decimals; volumes of 10 mL and more
 * are rounded to whole millilitres, smaller ones to one decimal (a 4.2 mL lesion stays visible).
 */
final class MeasurementSummary {
    static final String SEPARATOR = " \u00b7 ";

    private MeasurementSummary() {}

    /** The summary of the given measurements (the latest result of each series); null when there are none. */
    static String of(List<List<SegmentMeasurement>> resultsMeasurements) {
        List<String> parts = new ArrayList<>();
        for (List<SegmentMeasurement> measurements : resultsMeasurements)
            if (measurements != null)
                for (SegmentMeasurement m : measurements) parts.add(m.label() + " " + millilitres(m.volumeMl()) + " mL");
        return parts.isEmpty() ? null : String.join(SEPARATOR, parts);
    }

    /** {@code 1612.4} as {@code 1,612}; {@code 4.25} as {@code 4.3}. */
    static String millilitres(double ml) {
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
