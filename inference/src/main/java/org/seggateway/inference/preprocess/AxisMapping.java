package org.seggateway.inference.preprocess;

import java.util.Arrays;
import java.util.Locale;

/**
 * Reorientation by axis permutation and flips: model axis {@code a} (0 = x, 1 = y, 2 = z) runs along
 * source axis {@code sourceAxis[a]}, reversed when {@code flip[a]}. No interpolation is involved.
 */
public record AxisMapping(int[] sourceAxis, boolean[] flip) {

    private static final int[][] PERMUTATIONS = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

    public AxisMapping {
        sourceAxis = sourceAxis.clone();
        flip = flip.clone();
    }

    public static AxisMapping identity() {
        return new AxisMapping(new int[] {0, 1, 2}, new boolean[3]);
    }

    /**
     * The mapping that makes a volume with the given direction (3x3 row-major, column k = axis k in LPS)
     * point as {@code code} says (e.g. "LPS": x to patient left, y to posterior, z to superior).
     * Each volume axis goes to the patient axis its direction is closest to: of the 6 assignments, the one
     * with the largest sum of |cosine|, the first in {@link #PERMUTATIONS} order on a tie.
     */
    public static AxisMapping toOrientation(double[] direction, String code) {
        int[] patientAxisOf = null; // volume axis k -> patient axis
        double best = -1;
        for (int[] p : PERMUTATIONS) {
            double score = 0;
            for (int k = 0; k < 3; k++) score += Math.abs(direction[3 * p[k] + k]);
            if (score > best + 1e-12) {
                best = score;
                patientAxisOf = p;
            }
        }
        int[] source = new int[3];
        boolean[] flip = new boolean[3];
        String c = code.toUpperCase(Locale.ROOT);
        for (int a = 0; a < 3; a++) {
            char letter = c.charAt(a);
            int patientAxis = "LR".indexOf(letter) >= 0 ? 0 : "PA".indexOf(letter) >= 0 ? 1 : 2;
            boolean positive = letter == 'L' || letter == 'P' || letter == 'S';
            for (int k = 0; k < 3; k++) {
                if (patientAxisOf[k] != patientAxis) continue;
                source[a] = k;
                flip[a] = (direction[3 * patientAxis + k] >= 0) != positive;
            }
        }
        return new AxisMapping(source, flip);
    }

    /** Source dimensions (x, y, z) permuted into model axis order. */
    public int[] modelDimensions(int[] sourceDimensions) {
        return new int[] {sourceDimensions[sourceAxis[0]], sourceDimensions[sourceAxis[1]], sourceDimensions[sourceAxis[2]]};
    }

    public double[] modelSpacing(double[] sourceSpacing) {
        return new double[] {sourceSpacing[sourceAxis[0]], sourceSpacing[sourceAxis[1]], sourceSpacing[sourceAxis[2]]};
    }

    @Override
    public int[] sourceAxis() {
        return sourceAxis.clone();
    }

    @Override
    public boolean[] flip() {
        return flip.clone();
    }

    /** Value equality: a record compares array components by reference. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AxisMapping m && Arrays.equals(sourceAxis, m.sourceAxis) && Arrays.equals(flip, m.flip);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sourceAxis) + Arrays.hashCode(flip);
    }

    @Override
    public String toString() {
        return "AxisMapping" + Arrays.toString(sourceAxis) + Arrays.toString(flip);
    }
}
