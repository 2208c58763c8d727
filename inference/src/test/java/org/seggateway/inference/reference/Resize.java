package org.seggateway.inference.reference;

/**
 * The reference of every resampling but plain trilinear (docs/model-package.md, steps 2b-2d), written
 * independently of the engine's per-axis passes: the cubic B-spline as a direct tridiagonal solve for the
 * coefficients of the edge-padded volume and a tensor-product sum over 4 x 4 x 4 taps; interpolates
 * every axis (also those whose length does not change); double precision, plain loops, x fastest.
 */
final class Resize {
    private Resize() {}

    static final int PAD = 12;

    /**
     * @param v        reoriented image, size {@code in}
     * @param linear   align-corners trilinear (anti-aliasing only) instead of the cubic B-spline
     * @param separate nnU-Net's low-resolution axis (nearest neighbour along it), -1 for none
     */
    static double[] resize(double[] v, int[] in, int[] out, boolean linear, int separate, boolean antialias) {
        // value range for the clip of the cubic methods, taken before any smoothing
        int slices = separate < 0 ? 1 : in[separate];
        double[] lo = new double[slices], hi = new double[slices];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int z = 0; z < in[2]; z++)
            for (int y = 0; y < in[1]; y++)
                for (int x = 0; x < in[0]; x++) {
                    int s = slice(x, y, z, separate);
                    double value = v[ReferencePipeline.idx(x, y, z, in)];
                    lo[s] = Math.min(lo[s], value);
                    hi[s] = Math.max(hi[s], value);
                }

        double[] image = v.clone();
        if (antialias)
            for (int a = 0; a < 3; a++)
                if (a != separate && out[a] < in[a]) image = gaussian(image, in, a, ((double) in[a] / out[a] - 1) / 2);

        if (linear) {
            double[] result = new double[out[0] * out[1] * out[2]];
            for (int z = 0; z < out[2]; z++)
                for (int y = 0; y < out[1]; y++)
                    for (int x = 0; x < out[0]; x++) {
                        int[] o = {x, y, z};
                        int[] base = new int[3];
                        double[] f = new double[3];
                        for (int a = 0; a < 3; a++) {
                            double c = out[a] == 1 ? 0 : o[a] * (in[a] - 1.0) / (out[a] - 1.0);
                            base[a] = Math.min((int) Math.floor(c), Math.max(in[a] - 2, 0));
                            f[a] = c - base[a];
                        }
                        double sum = 0;
                        for (int dz = 0; dz < 2; dz++)
                            for (int dy = 0; dy < 2; dy++)
                                for (int dx = 0; dx < 2; dx++) {
                                    double w = (dx == 1 ? f[0] : 1 - f[0]) * (dy == 1 ? f[1] : 1 - f[1]) * (dz == 1 ? f[2] : 1 - f[2]);
                                    if (w != 0) sum += w * image[ReferencePipeline.idx(base[0] + dx, base[1] + dy, base[2] + dz, in)];
                                }
                        result[ReferencePipeline.idx(x, y, z, out)] = sum;
                    }
            return result;
        }

        // cubic: pad every interpolated axis with 12 edge copies, solve for the coefficients along each
        int[] padded = new int[3];
        for (int a = 0; a < 3; a++) padded[a] = a == separate ? in[a] : in[a] + 2 * PAD;
        double[] c = new double[padded[0] * padded[1] * padded[2]];
        for (int z = 0; z < padded[2]; z++)
            for (int y = 0; y < padded[1]; y++)
                for (int x = 0; x < padded[0]; x++) {
                    int[] p = {x, y, z};
                    int[] i = new int[3];
                    for (int a = 0; a < 3; a++)
                        i[a] = a == separate ? p[a] : Math.max(0, Math.min(p[a] - PAD, in[a] - 1));
                    c[ReferencePipeline.idx(x, y, z, padded)] = image[ReferencePipeline.idx(i[0], i[1], i[2], in)];
                }
        for (int a = 0; a < 3; a++) if (a != separate) solveAlong(c, padded, a);

        // evaluate at the pixel-centre coordinates (the separate axis keeps its slices here)
        int[] mid = out.clone();
        if (separate >= 0) mid[separate] = in[separate];
        double[] result = new double[mid[0] * mid[1] * mid[2]];
        for (int z = 0; z < mid[2]; z++)
            for (int y = 0; y < mid[1]; y++)
                for (int x = 0; x < mid[0]; x++) {
                    int[] o = {x, y, z};
                    int[] first = new int[3], taps = new int[3];
                    double[][] w = new double[3][];
                    for (int a = 0; a < 3; a++) {
                        if (a == separate) {
                            first[a] = o[a];
                            taps[a] = 1;
                            w[a] = new double[] {1};
                            continue;
                        }
                        double pos = (o[a] + 0.5) * in[a] / out[a] - 0.5 + PAD;
                        first[a] = (int) Math.floor(pos) - 1;
                        taps[a] = 4;
                        w[a] = new double[4];
                        for (int t = 0; t < 4; t++) w[a][t] = cubicBSpline(pos - (first[a] + t));
                    }
                    double sum = 0;
                    for (int tz = 0; tz < taps[2]; tz++)
                        for (int ty = 0; ty < taps[1]; ty++)
                            for (int tx = 0; tx < taps[0]; tx++) {
                                int px = clamp(first[0] + tx, padded[0]), py = clamp(first[1] + ty, padded[1]),
                                        pz = clamp(first[2] + tz, padded[2]);
                                sum += w[0][tx] * w[1][ty] * w[2][tz] * c[ReferencePipeline.idx(px, py, pz, padded)];
                            }
                    int s = slice(x, y, z, separate);
                    result[ReferencePipeline.idx(x, y, z, mid)] = Math.min(Math.max(sum, lo[s]), hi[s]);
                }
        if (separate < 0 || mid[separate] == out[separate]) return result;

        // nearest neighbour along the separate axis, as map_coordinates(order=0, mode="nearest")
        double[] last = new double[out[0] * out[1] * out[2]];
        double scale = (double) in[separate] / out[separate];
        for (int z = 0; z < out[2]; z++)
            for (int y = 0; y < out[1]; y++)
                for (int x = 0; x < out[0]; x++) {
                    int[] o = {x, y, z};
                    double pos = scale * (o[separate] + 0.5) - 0.5;
                    o[separate] = Math.max(0, Math.min((int) Math.floor(pos + 0.5), in[separate] - 1));
                    last[ReferencePipeline.idx(x, y, z, out)] = result[ReferencePipeline.idx(o[0], o[1], o[2], mid)];
                }
        return last;
    }

    private static int slice(int x, int y, int z, int axis) {
        return axis == 0 ? x : axis == 1 ? y : axis == 2 ? z : 0;
    }

    private static int clamp(int i, int n) {
        return Math.max(0, Math.min(i, n - 1));
    }

    /** The centred cubic B-spline. */
    static double cubicBSpline(double t) {
        double a = Math.abs(t);
        if (a < 1) return 2.0 / 3 - a * a + a * a * a / 2;
        if (a < 2) return (2 - a) * (2 - a) * (2 - a) / 6;
        return 0;
    }

    /**
     * Replaces every line along {@code axis} by its B-spline coefficients: the solution of
     * (c[k-1] + 4 c[k] + c[k+1]) / 6 = s[k] with c[-1] = c[0] and c[N] = c[N-1] (Thomas algorithm).
     */
    private static void solveAlong(double[] v, int[] n, int axis) {
        int len = n[axis];
        int[] stride = {1, n[0], n[0] * n[1]};
        double[] diag = new double[len], rhs = new double[len];
        for (int z = 0; z < (axis == 2 ? 1 : n[2]); z++)
            for (int y = 0; y < (axis == 1 ? 1 : n[1]); y++)
                for (int x = 0; x < (axis == 0 ? 1 : n[0]); x++) {
                    int base = ReferencePipeline.idx(x, y, z, n);
                    double off = 1.0 / 6;
                    for (int k = 0; k < len; k++) {
                        diag[k] = len == 1 ? 1 : (k == 0 || k == len - 1) ? 5.0 / 6 : 4.0 / 6;
                        rhs[k] = v[base + k * stride[axis]];
                    }
                    for (int k = 1; k < len; k++) {
                        double factor = off / diag[k - 1];
                        diag[k] -= factor * off;
                        rhs[k] -= factor * rhs[k - 1];
                    }
                    rhs[len - 1] /= diag[len - 1];
                    for (int k = len - 2; k >= 0; k--) rhs[k] = (rhs[k] - off * rhs[k + 1]) / diag[k];
                    for (int k = 0; k < len; k++) v[base + k * stride[axis]] = rhs[k];
                }
    }

    /** Gaussian smoothing along one axis: radius floor(4 sigma + 0.5), weights normalised, edge values repeated. */
    private static double[] gaussian(double[] v, int[] n, int axis, double sigma) {
        int radius = (int) Math.floor(4 * sigma + 0.5);
        double[] w = new double[2 * radius + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++) total += w[k + radius] = Math.exp(-(double) k * k / (2 * sigma * sigma));
        double[] out = new double[v.length];
        for (int z = 0; z < n[2]; z++)
            for (int y = 0; y < n[1]; y++)
                for (int x = 0; x < n[0]; x++) {
                    int[] p = {x, y, z};
                    double s = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int[] q = p.clone();
                        q[axis] = clamp(p[axis] + k, n[axis]);
                        s += w[k + radius] / total * v[ReferencePipeline.idx(q[0], q[1], q[2], n)];
                    }
                    out[ReferencePipeline.idx(x, y, z, n)] = s;
                }
        return out;
    }
}
