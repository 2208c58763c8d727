package org.seggateway.inference;

import java.util.ArrayList;
import java.util.List;

/** All axis-aligned direction matrices and all orientation codes. */
final class OrientationCodes {
    private OrientationCodes() {}

    static final int[][] PERMUTATIONS = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

    /** Rotated by about 10 degrees about z and 5 about x: still closest to identity. */
    static final double[] OBLIQUE = oblique();

    /** 48 direction matrices (row-major, column k = axis k): axis k along +-patient axis perm[k]. */
    static List<double[]> allAxisAlignedDirections() {
        List<double[]> out = new ArrayList<>();
        for (int[] p : PERMUTATIONS)
            for (int f = 0; f < 8; f++) {
                double[] d = new double[9];
                for (int k = 0; k < 3; k++) d[3 * p[k] + k] = (f >> k & 1) == 1 ? -1 : 1;
                out.add(d);
            }
        return out;
    }

    /** 48 codes: each permutation of the patient axes with each sign, e.g. LPS, RAS, SLA. */
    static List<String> allCodes() {
        String[][] letters = {{"L", "R"}, {"P", "A"}, {"S", "I"}};
        List<String> out = new ArrayList<>();
        for (int[] p : PERMUTATIONS)
            for (int f = 0; f < 8; f++) {
                StringBuilder s = new StringBuilder();
                for (int a = 0; a < 3; a++) s.append(letters[p[a]][f >> a & 1]);
                out.add(s.toString());
            }
        return out;
    }

    private static double[] oblique() {
        double a = Math.toRadians(10), b = Math.toRadians(5);
        double[][] rz = {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}};
        double[][] rx = {{1, 0, 0}, {0, Math.cos(b), -Math.sin(b)}, {0, Math.sin(b), Math.cos(b)}};
        double[] d = new double[9];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 3; k++) d[3 * r + c] += rz[r][k] * rx[k][c];
        return d;
    }
}
