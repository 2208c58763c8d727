package org.seggateway.dicomio.measure;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * Per-segment statistics of a label map on the grid of the volume it was inferred from: one pass over the voxels for
 * counts, values, index bounds and centroids, one over the runs of each row for the component count (26-connectivity,
 * union-find of runs), and a second pass for the left/right split of the labels that ask for one. Memory beyond the
 * inputs: a few ints per run of one label along a row.
 */
public final class SegmentStatisticsCalculator {
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private SegmentStatisticsCalculator() {}

    /**
     * Statistics of {@code labelValues} (a label absent from the map gets a count of 0); {@code splitLeftRight}: the
     * labels, among them, of paired structures to split at the sagittal plane through their centroid.
     */
    public static Map<Integer, SegmentStatistics> compute(Volume volume, LabelMap labels, Set<Integer> labelValues,
                                                          Set<Integer> splitLeftRight) {
        VolumeGeometry g = volume.geometry();
        if (labels.width() != g.width() || labels.height() != g.height() || labels.depth() != g.depth())
            throw new IllegalArgumentException("label map of " + labels.width() + "x" + labels.height() + "x"
                    + labels.depth() + " does not match the volume of series " + volume.seriesInstanceUid() + ": "
                    + g.width() + "x" + g.height() + "x" + g.depth());
        Accumulator[] acc = new Accumulator[256];
        for (int label : labelValues) {
            if (label < 1 || label > 255) throw new IllegalArgumentException("label value must be 1..255: " + label);
            acc[label] = new Accumulator();
        }
        byte[] map = labels.labels();
        int width = g.width(), height = g.height(), depth = g.depth();
        double[] origin = g.origin(), direction = g.direction(), spacing = g.spacing();
        // label 0 is never measured (labelValues are 1..255): background in whole 8-byte words is skipped unread
        for (int z = 0; z < depth; z++)
            for (int y = 0; y < height; y++) {
                int base = (z * height + y) * width;
                for (int x = 0; x < width; ) {
                    if (x + Long.BYTES <= width && (long) WORDS.get(map, base + x) == 0) {
                        x += Long.BYTES;
                        continue;
                    }
                    int i = base + x;
                    Accumulator a = acc[map[i] & 0xFF];
                    if (a != null) a.add(x, y, z, volume.value(i), patientX(origin, direction, spacing, x, y, z));
                    x++;
                }
            }
        countComponents(map, width, height, depth, acc);
        double voxelMl = spacing[0] * spacing[1] * spacing[2] / 1000.0;
        Map<Integer, double[]> planes = new LinkedHashMap<>();
        for (int label : splitLeftRight)
            if (label >= 1 && label <= 255 && acc[label] != null && acc[label].count > 0)
                planes.put(label, new double[] {acc[label].sumPatientX / acc[label].count, 0, 0});
        if (!planes.isEmpty()) splitAtPlanes(map, g, acc, planes);

        Map<Integer, SegmentStatistics> out = new LinkedHashMap<>();
        for (int label : new TreeSet<>(labelValues)) {
            Accumulator a = acc[label];
            double[] plane = planes.get(label);
            SegmentStatistics.LateralSplit split = plane == null ? null : new SegmentStatistics.LateralSplit(plane[0],
                    (long) plane[1], plane[1] * voxelMl, (long) plane[2], plane[2] * voxelMl);
            out.put(label, a.statistics(label, voxelMl, g, split));
        }
        return out;
    }

    private static double patientX(double[] origin, double[] direction, double[] spacing, int x, int y, int z) {
        return origin[0] + direction[0] * x * spacing[0] + direction[1] * y * spacing[1] + direction[2] * z * spacing[2];
    }

    /**
     * Counts, per label, the 26-connected components: each row is cut into runs of one label along x, and each run is
     * joined (union-find) to the runs of its label that it touches (x ranges within one voxel of each other) in the row
     * before it and in the three rows around it in the slice before. A label's components are its runs less the joins
     * that merged two sets. One pass over the voxels; memory: a few ints per run.
     */
    static void countComponents(byte[] map, int width, int height, int depth, Accumulator[] acc) {
        Runs runs = new Runs();
        int[] rowStart = new int[height * depth + 1];
        for (int z = 0; z < depth; z++)
            for (int y = 0; y < height; y++) {
                int row = z * height + y, base = row * width;
                rowStart[row] = runs.size;
                for (int x = 0; x < width; ) {
                    int label = map[base + x] & 0xFF;
                    int end = x + 1;
                    if (label == 0)
                        while (end + Long.BYTES <= width && (long) WORDS.get(map, base + end) == 0) end += Long.BYTES;
                    while (end < width && (map[base + end] & 0xFF) == label) end++;
                    if (acc[label] != null) {
                        runs.add(x, end - 1, label);
                        acc[label].components++;
                    }
                    x = end;
                }
                rowStart[row + 1] = runs.size;
                if (y > 0) join(runs, rowStart, row, row - 1, acc);
                if (z > 0)
                    for (int dy = -1; dy <= 1; dy++)
                        if (y + dy >= 0 && y + dy < height) join(runs, rowStart, row, row - height + dy, acc);
            }
    }

    /** Joins the runs of {@code row} to the runs of {@code other} (an earlier row) that touch them and carry their label. */
    private static void join(Runs runs, int[] rowStart, int row, int other, Accumulator[] acc) {
        int j = rowStart[other], otherEnd = rowStart[other + 1];
        for (int i = rowStart[row]; i < rowStart[row + 1]; i++) {
            int from = runs.start[i] - 1, to = runs.end[i] + 1;
            while (j < otherEnd && runs.end[j] < from) j++;
            for (int k = j; k < otherEnd && runs.start[k] <= to; k++)
                if (runs.label[k] == runs.label[i] && runs.union(i, k)) acc[runs.label[i]].components--;
        }
    }

    /** Runs of one label along x (first and last x, label) as disjoint sets. */
    private static final class Runs {
        int[] start = new int[1024], end = new int[1024], label = new int[1024], parent = new int[1024];
        int size;

        void add(int first, int last, int value) {
            if (size == start.length) {
                int n = size * 2;
                start = java.util.Arrays.copyOf(start, n);
                end = java.util.Arrays.copyOf(end, n);
                label = java.util.Arrays.copyOf(label, n);
                parent = java.util.Arrays.copyOf(parent, n);
            }
            start[size] = first;
            end[size] = last;
            label[size] = value;
            parent[size] = size;
            size++;
        }

        int root(int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        /** Merges the sets of {@code a} and {@code b}; false when they were one already. */
        boolean union(int a, int b) {
            int ra = root(a), rb = root(b);
            if (ra == rb) return false;
            if (ra < rb) parent[rb] = ra;
            else parent[ra] = rb;
            return true;
        }
    }

    /** planes: label to {plane x, left count, right count}; the counts are filled in. */
    private static void splitAtPlanes(byte[] map, VolumeGeometry g, Accumulator[] acc, Map<Integer, double[]> planes) {
        double[][] byLabel = new double[256][];
        planes.forEach((label, plane) -> byLabel[label] = plane);
        double[] origin = g.origin(), direction = g.direction(), spacing = g.spacing();
        int i = 0;
        for (int z = 0; z < g.depth(); z++)
            for (int y = 0; y < g.height(); y++)
                for (int x = 0; x < g.width(); x++, i++) {
                    double[] plane = byLabel[map[i] & 0xFF];
                    if (plane == null) continue;
                    // LPS: x grows towards the patient's left
                    if (patientX(origin, direction, spacing, x, y, z) > plane[0]) plane[1]++;
                    else plane[2]++;
                }
    }

    static final class Accumulator {
        long count;
        double sum, sumOfSquares, sumPatientX;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, minZ = Integer.MAX_VALUE, maxX = -1, maxY = -1, maxZ = -1;
        int components;

        void add(int x, int y, int z, double value, double patientX) {
            count++;
            sum += value;
            sumOfSquares += value * value;
            sumPatientX += patientX;
            if (value < min) min = value;
            if (value > max) max = value;
            if (x < minX) minX = x;
            if (x > maxX) maxX = x;
            if (y < minY) minY = y;
            if (y > maxY) maxY = y;
            if (z < minZ) minZ = z;
            if (z > maxZ) maxZ = z;
        }

        SegmentStatistics statistics(int label, double voxelMl, VolumeGeometry g, SegmentStatistics.LateralSplit split) {
            if (count == 0)
                return new SegmentStatistics(label, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, null, 0, split);
            double mean = sum / count;
            double variance = Math.max(0, sumOfSquares / count - mean * mean);
            double[] low = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
            double[] high = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            // the index box's corners in patient space; for an oblique grid the patient box holds all eight
            for (int cx : new int[] {minX, maxX})
                for (int cy : new int[] {minY, maxY})
                    for (int cz : new int[] {minZ, maxZ}) {
                        double[] p = g.positionOf(cx, cy, cz);
                        for (int k = 0; k < 3; k++) {
                            low[k] = Math.min(low[k], p[k]);
                            high[k] = Math.max(high[k], p[k]);
                        }
                    }
            return new SegmentStatistics(label, count, count * voxelMl, mean, min, max, Math.sqrt(variance), low, high,
                    components, split);
        }
    }
}
