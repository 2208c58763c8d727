package org.seggateway.gateway.results;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.seggateway.dicomio.seg.SegmentDescription;

/**
 * Which segments get a left/right split: those whose label says they hold a paired structure on both sides. The
 * model's label name or its type code's meaning either names both sides ("right and left", "bilateral", "both") or is
 * the plural of a paired organ ("Kidneys", "Lungs", "Adrenal glands"). A label that names one side ("Kidney left")
 * lies on that side and is not split; a single organ ("Liver") is not split.
 */
final class PairedStructures {
    private static final Pattern BOTH_SIDES = Pattern.compile("\\b(right and left|left and right|bilateral|both)\\b");
    private static final Pattern ONE_SIDE = Pattern.compile("\\b(left|right)\\b");
    private static final Set<String> PAIRED_PLURALS = Set.of("kidneys", "lungs", "adrenal glands", "adrenals", "ovaries",
            "testes", "breasts", "eyes", "eyeballs", "parotid glands", "submandibular glands", "femurs", "femoral heads",
            "hips", "humeri", "clavicles", "scapulae", "iliac bones", "ureters", "lacrimal glands", "optic nerves", "cochleae");

    private PairedStructures() {}

    static boolean splitLeftRight(SegmentDescription segment) {
        for (String text : new String[] {segment.label(), segment.type().meaning()}) {
            String t = text.toLowerCase(Locale.ROOT).replace('_', ' ').trim();
            if (BOTH_SIDES.matcher(t).find()) return true;
            if (ONE_SIDE.matcher(t).find()) return false;
            if (PAIRED_PLURALS.contains(t)) return true;
        }
        return false;
    }
}
