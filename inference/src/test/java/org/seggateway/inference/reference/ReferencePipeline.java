package org.seggateway.inference.reference;

import java.util.List;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.inference.model.Blending;
import org.seggateway.inference.model.ImageResampling;
import org.seggateway.inference.model.LabelSpec;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.model.Normalization;
import org.seggateway.inference.model.OutputKind;
import org.seggateway.inference.model.Padding;

/**
 * docs/model-package.md written out again the slow way, independently of the engine's classes: plain
 * loops, double precision, one window at a time, no threads, the network computed by {@link TinyConvNet}
 * (one per ensemble member). Every input channel is its own normalised copy of the padded grid.
 * Arrays are x fastest; index helpers take (x, y, z).
 */
public final class ReferencePipeline {

    /** Probabilities [channel][model-grid voxel], model-grid labels and source-grid labels. */
    public record Result(int[] modelSize, double[][] probabilities, int[] modelLabels, int[] sourceLabels) {}

    private final ModelManifest m;
    private final List<TinyConvNet> nets;

    public ReferencePipeline(ModelManifest manifest, TinyConvNet net) {
        this(manifest, List.of(net));
    }

    /** @param nets the ensemble's members, in the manifest's order */
    public ReferencePipeline(ModelManifest manifest, List<TinyConvNet> nets) {
        this.m = manifest;
        this.nets = List.copyOf(nets);
    }

    public Result run(Volume volume) {
        VolumeGeometry g = volume.geometry();
        int[] src = {g.width(), g.height(), g.depth()};

        // 1. reorientation: of all 48 permutations x flips, the one whose axes best match the target directions
        int[] perm = {0, 1, 2};
        boolean[] flip = new boolean[3];
        if (m.orientation() != null) {
            double[][] target = targetAxes(m.orientation());
            double best = Double.NEGATIVE_INFINITY;
            for (int[] p : new int[][] {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}})
                for (int f = 0; f < 8; f++) {
                    double score = 0;
                    for (int a = 0; a < 3; a++) {
                        double sign = (f >> a & 1) == 1 ? -1 : 1;
                        double[] col = g.axis(p[a]);
                        for (int r = 0; r < 3; r++) score += sign * col[r] * target[a][r];
                    }
                    if (score > best + 1e-9) {
                        best = score;
                        perm = p;
                        flip = new boolean[] {(f & 1) == 1, (f & 2) == 2, (f & 4) == 4};
                    }
                }
        }
        int[] ro = {src[perm[0]], src[perm[1]], src[perm[2]]};
        double[] spacing = g.spacing();
        double[] roSpacing = {spacing[perm[0]], spacing[perm[1]], spacing[perm[2]]};
        double[] reoriented = new double[ro[0] * ro[1] * ro[2]];
        for (int z = 0; z < ro[2]; z++)
            for (int y = 0; y < ro[1]; y++)
                for (int x = 0; x < ro[0]; x++) {
                    int[] i = {x, y, z};
                    int[] s = new int[3];
                    for (int a = 0; a < 3; a++) s[perm[a]] = flip[a] ? ro[a] - 1 - i[a] : i[a];
                    reoriented[idx(x, y, z, ro)] = volume.value(idx(s[0], s[1], s[2], src));
                }

        // 2. resampling to the model grid, 3. normalisation (nnunet: normalisation first, on the source grid)
        ImageResampling.Interpolation method = m.resampling().image();
        boolean pixelCentres = method != ImageResampling.Interpolation.LINEAR;
        int[] n = ro.clone();
        double[] ts = m.targetSpacing();
        double[] newSpacing = roSpacing.clone();
        for (int a = 0; a < 3; a++) {
            if (m.targetShape() != null) {
                n[a] = m.targetShape().get(a);
                newSpacing[a] = roSpacing[a] * ro[a] / n[a];
            } else if (ts != null) {
                n[a] = method == ImageResampling.Interpolation.NNUNET
                        ? (int) Math.max(1, Math.rint(roSpacing[a] / ts[a] * ro[a]))
                        : (int) Math.max(1, Math.floor(ro[a] * roSpacing[a] / ts[a] + 0.5));
                newSpacing[a] = ts[a];
            }
        }
        // nnunet: normalisation first, on the source grid (one input channel)
        double[] first = null;
        if (method == ImageResampling.Interpolation.NNUNET) {
            first = normalization(m.normalizations().get(0), reoriented);
            for (int i = 0; i < reoriented.length; i++) reoriented[i] = normalise(reoriented[i], first);
        }
        double[] image;
        if (method == ImageResampling.Interpolation.LINEAR && !m.resampling().antialias()) {
            image = new double[n[0] * n[1] * n[2]];
            for (int z = 0; z < n[2]; z++)
                for (int y = 0; y < n[1]; y++)
                    for (int x = 0; x < n[0]; x++) {
                        double[] c = {coord(x, ro[0], n[0]), coord(y, ro[1], n[1]), coord(z, ro[2], n[2])};
                        image[idx(x, y, z, n)] = trilinear(reoriented, ro, c);
                    }
        } else {
            int separate = method == ImageResampling.Interpolation.NNUNET ? lowResolutionAxis(roSpacing, newSpacing) : -1;
            image = Resize.resize(reoriented, ro, n, method == ImageResampling.Interpolation.LINEAR, separate,
                    m.resampling().antialias());
        }

        // 3. normalisation, one copy per input channel
        int inputs = m.inputChannels();
        double[][] images = new double[inputs][];
        double[] padValues = new double[inputs];
        for (int ch = 0; ch < inputs; ch++) {
            if (first != null) {
                images[ch] = image;
                padValues[ch] = normalise(m.padding().value(), first);
                continue;
            }
            double[] norm = normalization(m.normalizations().get(ch), image);
            images[ch] = new double[image.length];
            for (int i = 0; i < image.length; i++) images[ch][i] = normalise(image[i], norm);
            padValues[ch] = normalise(m.padding().value(), norm);
        }

        // 4. padding to the input patch (manifest kind), then the valid-convolution margin (mirror)
        int[] po = {m.outputPatchSize().x(), m.outputPatchSize().y(), m.outputPatchSize().z()};
        int[] pi = {m.patchSize().x(), m.patchSize().y(), m.patchSize().z()};
        int[] cover = new int[3], before = new int[3], margin = new int[3], data = new int[3];
        for (int a = 0; a < 3; a++) {
            cover[a] = Math.max(n[a], pi[a]);
            before[a] = (cover[a] - n[a]) / 2;
            margin[a] = (pi[a] - po[a]) / 2;
            data[a] = cover[a] + 2 * margin[a];
        }
        double[][] padded = new double[inputs][data[0] * data[1] * data[2]];
        for (int z = 0; z < data[2]; z++)
            for (int y = 0; y < data[1]; y++)
                for (int x = 0; x < data[0]; x++) {
                    int[] d = {x, y, z};
                    int[] i = new int[3];
                    boolean constant = false;
                    for (int a = 0; a < 3; a++) {
                        int c = bounce(d[a] - margin[a], cover[a]) - before[a];
                        if (c < 0 || c >= n[a]) {
                            if (m.padding().kind() == Padding.Kind.CONSTANT) constant = true;
                            else c = bounce(c, n[a]);
                        }
                        i[a] = c;
                    }
                    for (int ch = 0; ch < inputs; ch++)
                        padded[ch][idx(x, y, z, data)] = constant ? padValues[ch] : images[ch][idx(i[0], i[1], i[2], n)];
                }

        // 5-7. windows, network, weighted accumulation
        int channels = m.outputChannels();
        double[][] sum = new double[channels][cover[0] * cover[1] * cover[2]];
        double[] weightSum = new double[cover[0] * cover[1] * cover[2]];
        int[][] starts = {starts(cover[0], po[0]), starts(cover[1], po[1]), starts(cover[2], po[2])};
        double[] weight = importance(po);
        boolean[] mirror = m.mirrorAxes();
        for (int sz : starts[2])
            for (int sy : starts[1])
                for (int sx : starts[0]) {
                    int combos = 0;
                    double[][] mean = new double[channels][po[0] * po[1] * po[2]];
                    for (int f = 0; f < 8; f++) {
                        boolean[] fl = {(f & 1) == 1, (f & 2) == 2, (f & 4) == 4};
                        if ((fl[0] && !mirror[0]) || (fl[1] && !mirror[1]) || (fl[2] && !mirror[2])) continue;
                        combos++;
                        double[][] patch = new double[inputs][pi[0] * pi[1] * pi[2]];
                        for (int ch = 0; ch < inputs; ch++)
                            for (int z = 0; z < pi[2]; z++)
                                for (int y = 0; y < pi[1]; y++)
                                    for (int x = 0; x < pi[0]; x++) {
                                        int rx = fl[0] ? pi[0] - 1 - x : x, ry = fl[1] ? pi[1] - 1 - y : y, rz = fl[2] ? pi[2] - 1 - z : z;
                                        patch[ch][idx(x, y, z, pi)] = padded[ch][idx(sx + rx, sy + ry, sz + rz, data)];
                                    }
                        for (TinyConvNet net : nets) {
                            double[][] logits = net.forward(patch, pi);
                            for (int z = 0; z < po[2]; z++)
                                for (int y = 0; y < po[1]; y++)
                                    for (int x = 0; x < po[0]; x++) {
                                        int v = idx(x, y, z, po);
                                        double[] p = activation(logits, v);
                                        int rx = fl[0] ? po[0] - 1 - x : x, ry = fl[1] ? po[1] - 1 - y : y, rz = fl[2] ? po[2] - 1 - z : z;
                                        for (int c = 0; c < channels; c++) mean[c][idx(rx, ry, rz, po)] += p[c];
                                    }
                        }
                    }
                    int runs = combos * nets.size(); // mean over members of the mean over flips
                    for (int z = 0; z < po[2]; z++)
                        for (int y = 0; y < po[1]; y++)
                            for (int x = 0; x < po[0]; x++) {
                                int v = idx(x, y, z, po), t = idx(sx + x, sy + y, sz + z, cover);
                                for (int c = 0; c < channels; c++) sum[c][t] += weight[v] * mean[c][v] / runs;
                                weightSum[t] += weight[v];
                            }
                }

        // 8. normalise, crop, labels
        double[][] prob = new double[channels][n[0] * n[1] * n[2]];
        int[] labels = new int[n[0] * n[1] * n[2]];
        for (int z = 0; z < n[2]; z++)
            for (int y = 0; y < n[1]; y++)
                for (int x = 0; x < n[0]; x++) {
                    int t = idx(x + before[0], y + before[1], z + before[2], cover), v = idx(x, y, z, n);
                    double[] p = new double[channels];
                    for (int c = 0; c < channels; c++) p[c] = prob[c][v] = sum[c][t] / weightSum[t];
                    labels[v] = label(p);
                }

        // 9. back to the source grid: nearest neighbour, then undo the reorientation
        int[] out = new int[src[0] * src[1] * src[2]];
        for (int z = 0; z < src[2]; z++)
            for (int y = 0; y < src[1]; y++)
                for (int x = 0; x < src[0]; x++) {
                    int[] s = {x, y, z};
                    int[] mi = new int[3];
                    for (int a = 0; a < 3; a++) {
                        int r = flip[a] ? ro[a] - 1 - s[perm[a]] : s[perm[a]];
                        if (pixelCentres) mi[a] = Math.min(n[a] - 1, (int) Math.floor((r + 0.5) * n[a] / ro[a]));
                        else mi[a] = ro[a] == 1 ? 0 : (int) Math.floor(r * (double) (n[a] - 1) / (ro[a] - 1) + 0.5);
                    }
                    out[idx(x, y, z, src)] = labels[idx(mi[0], mi[1], mi[2], n)];
                }
        return new Result(n, prob, labels, out);
    }

    /** nnU-Net's separate-z axis: source spacing anisotropic (max/min > 3), else the new one; unique largest spacing. */
    private static int lowResolutionAxis(double[] current, double[] target) {
        for (double[] s : new double[][] {current, target}) {
            double max = Math.max(s[0], Math.max(s[1], s[2])), min = Math.min(s[0], Math.min(s[1], s[2]));
            if (max / min <= 3) continue;
            int axis = -1, count = 0;
            for (int a = 0; a < 3; a++) if (s[a] == max) { axis = a; count++; }
            return count == 1 ? axis : -1;
        }
        return -1;
    }

    private double[] activation(double[][] logits, int v) {
        int channels = logits.length;
        double[] p = new double[channels];
        if (m.outputKind() == OutputKind.SIGMOID) {
            for (int c = 0; c < channels; c++) p[c] = 1 / (1 + Math.exp(-logits[c][v]));
            return p;
        }
        double total = 0;
        for (int c = 0; c < channels; c++) total += Math.exp(logits[c][v]);
        for (int c = 0; c < channels; c++) p[c] = Math.exp(logits[c][v]) / total;
        return p;
    }

    /** The winning channel (softmax: argmax; sigmoid: the highest above 0.5, else none), then the label naming it. */
    private int label(double[] p) {
        int best = -1;
        if (m.outputKind() == OutputKind.SOFTMAX) {
            best = 0;
            for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
        } else {
            double bestP = 0.5;
            for (int c = 0; c < p.length; c++) if (p[c] > bestP) { best = c; bestP = p[c]; }
        }
        for (LabelSpec l : m.labels()) if (l.channel() == best) return l.value();
        return 0;
    }

    /** The fewest evenly spread tiles whose step is at most p (1 - overlap), first at 0, last flush with the end. */
    private int[] starts(int s, int p) {
        if (s <= p) return new int[] {0};
        int n = 2;
        while ((double) (s - p) / (n - 1) > p * (1 - m.overlap())) n++;
        int[] starts = new int[n];
        for (int i = 0; i < n; i++) starts[i] = (int) Math.floor((double) i * (s - p) / (n - 1) + 0.5);
        return starts;
    }

    private double[] importance(int[] po) {
        double[] w = new double[po[0] * po[1] * po[2]];
        if (m.blending() == Blending.CONSTANT) {
            java.util.Arrays.fill(w, 1);
            return w;
        }
        double max = 0;
        for (int z = 0; z < po[2]; z++)
            for (int y = 0; y < po[1]; y++)
                for (int x = 0; x < po[0]; x++) {
                    double g = gauss(x, po[0]) * gauss(y, po[1]) * gauss(z, po[2]);
                    w[idx(x, y, z, po)] = g;
                    max = Math.max(max, g);
                }
        for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i] / max, 1e-3);
        // the engine stores the map as float32
        for (int i = 0; i < w.length; i++) w[i] = (float) w[i];
        return w;
    }

    private static double gauss(int i, int p) {
        double sigma = p / 8.0, d = i - (p - 1) / 2.0;
        return Math.exp(-d * d / (2 * sigma * sigma));
    }

    /** {shift, divisor, lo, hi} */
    private static double[] normalization(Normalization n, double[] image) {
        return switch (n) {
            case Normalization.CtZScore c -> new double[] {c.mean(), c.std(), c.lo(), c.hi()};
            case Normalization.CtWindow w -> new double[] {w.lo(), w.hi() - w.lo(), w.lo(), w.hi()};
            case Normalization.CtPercentileZScore c -> new double[] {c.mean(), Math.max(c.std(), 1e-8), c.lo(), c.hi()};
            case Normalization.None none -> new double[] {0, 1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
            case Normalization.MrZScore mr -> {
                double count = 0, sum = 0;
                for (double v : image) if (v > mr.foregroundThreshold()) { count++; sum += v; }
                if (count == 0) yield new double[] {0, 1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
                double mean = sum / count, var = 0;
                for (double v : image) if (v > mr.foregroundThreshold()) var += (v - mean) * (v - mean);
                yield new double[] {mean, Math.sqrt(var / count), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
            }
        };
    }

    private static double normalise(double v, double[] n) {
        return (Math.min(Math.max(v, n[2]), n[3]) - n[0]) / n[1];
    }

    /** Mirror index by repeated reflection off both ends (edge voxel not repeated). */
    private static int bounce(int i, int n) {
        if (n == 1) return 0;
        while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
        return i;
    }

    private static double coord(int i, int nIn, int nOut) {
        return nOut == 1 ? 0 : i * (nIn - 1.0) / (nOut - 1.0);
    }

    private static double trilinear(double[] v, int[] n, double[] c) {
        int[] lo = new int[3];
        double[] f = new double[3];
        for (int a = 0; a < 3; a++) {
            lo[a] = Math.min((int) Math.floor(c[a]), Math.max(n[a] - 2, 0));
            f[a] = c[a] - lo[a];
        }
        double s = 0;
        for (int dz = 0; dz < 2; dz++)
            for (int dy = 0; dy < 2; dy++)
                for (int dx = 0; dx < 2; dx++) {
                    double w = (dx == 1 ? f[0] : 1 - f[0]) * (dy == 1 ? f[1] : 1 - f[1]) * (dz == 1 ? f[2] : 1 - f[2]);
                    if (w == 0) continue;
                    s += w * v[idx(lo[0] + dx, lo[1] + dy, lo[2] + dz, n)];
                }
        return s;
    }

    private static double[][] targetAxes(String code) {
        double[][] t = new double[3][3];
        for (int a = 0; a < 3; a++) {
            char ch = code.charAt(a);
            int r = "LR".indexOf(ch) >= 0 ? 0 : "PA".indexOf(ch) >= 0 ? 1 : 2;
            t[a][r] = ch == 'L' || ch == 'P' || ch == 'S' ? 1 : -1;
        }
        return t;
    }

    static int idx(int x, int y, int z, int[] n) {
        return x + n[0] * (y + n[1] * z);
    }
}
