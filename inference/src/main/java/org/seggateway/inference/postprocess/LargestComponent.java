package org.seggateway.inference.postprocess;

import java.util.Arrays;

/**
 * Keeps, for every label value, only its largest 6-connected component (ties: the one found first in voxel
 * order); other voxels of that label become background. Breadth-first fills, two per component at most;
 * memory: a mark per voxel and a queue as large as the biggest component.
 */
public final class LargestComponent {
    private final byte[] labels;
    private final int nx, ny, nz;
    private final boolean[] seen;
    private int[] queue = new int[1024];

    private LargestComponent(byte[] labels, int nx, int ny, int nz) {
        this.labels = labels;
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.seen = new boolean[labels.length];
    }

    /** Modifies {@code labels} (x fastest, nx x ny x nz) in place. */
    public static void apply(byte[] labels, int nx, int ny, int nz) {
        new LargestComponent(labels, nx, ny, nz).run();
    }

    private void run() {
        int maxLabel = 0;
        for (byte b : labels) maxLabel = Math.max(maxLabel, b & 0xFF);
        int[] bestSeed = new int[maxLabel + 1], bestSize = new int[maxLabel + 1];
        Arrays.fill(bestSeed, -1);
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (label == 0 || seen[i]) continue;
            int size = fill(i, label);
            if (size > bestSize[label]) {
                bestSize[label] = size;
                bestSeed[label] = i;
            }
        }
        Arrays.fill(seen, false);
        for (int label = 1; label <= maxLabel; label++) if (bestSeed[label] >= 0) fill(bestSeed[label], label);
        for (int i = 0; i < labels.length; i++) if (labels[i] != 0 && !seen[i]) labels[i] = 0;
    }

    /** Marks the component of {@code seed} as seen; returns its size. */
    private int fill(int seed, int label) {
        int slice = nx * ny, head = 0, tail = 0;
        seen[seed] = true;
        queue[tail++] = seed;
        while (head < tail) {
            int v = queue[head++];
            int x = v % nx, y = (v / nx) % ny, z = v / slice;
            if (x > 0) tail = visit(v - 1, label, tail);
            if (x < nx - 1) tail = visit(v + 1, label, tail);
            if (y > 0) tail = visit(v - nx, label, tail);
            if (y < ny - 1) tail = visit(v + nx, label, tail);
            if (z > 0) tail = visit(v - slice, label, tail);
            if (z < nz - 1) tail = visit(v + slice, label, tail);
        }
        return tail;
    }

    private int visit(int v, int label, int tail) {
        if (seen[v] || (labels[v] & 0xFF) != label) return tail;
        seen[v] = true;
        if (tail == queue.length) queue = Arrays.copyOf(queue, queue.length * 2);
        queue[tail] = v;
        return tail + 1;
    }
}
