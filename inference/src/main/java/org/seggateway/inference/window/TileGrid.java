package org.seggateway.inference.window;

/**
 * Window positions (contract step 5): per axis, starts of output tiles over the cover region; the windows
 * are the cartesian product, z outermost, x innermost.
 */
public record TileGrid(int[] startsX, int[] startsY, int[] startsZ) {

    public static TileGrid of(int[] coverSize, int[] outputPatch, double overlap) {
        return new TileGrid(starts(coverSize[0], outputPatch[0], overlap), starts(coverSize[1], outputPatch[1], overlap),
                starts(coverSize[2], outputPatch[2], overlap));
    }

    /**
     * Starts along one axis of length {@code s} for tiles of {@code p}: one tile at 0 when {@code s <= p},
     * else {@code n = ceil((s - p) / (p (1 - overlap))) + 1} tiles at {@code floor(i (s - p) / (n - 1) + 0.5)},
     * so the last tile is flush with the end.
     */
    public static int[] starts(int s, int p, double overlap) {
        if (s <= p) return new int[] {0};
        double step = p * (1 - overlap);
        int n = (int) Math.ceil((s - p) / step) + 1;
        int[] starts = new int[n];
        for (int i = 0; i < n; i++) starts[i] = (int) Math.floor((double) (i * (s - p)) / (n - 1) + 0.5);
        return starts;
    }

    public int count() {
        return startsX.length * startsY.length * startsZ.length;
    }

    /** Output-tile start {x, y, z} of window {@code w} (z outermost, x innermost). */
    public int[] start(int w) {
        int nx = startsX.length, ny = startsY.length;
        return new int[] {startsX[w % nx], startsY[(w / nx) % ny], startsZ[w / (nx * ny)]};
    }

    /** Index into {@link #startsZ()} of window {@code w}. */
    public int zRow(int w) {
        return w / (startsX.length * startsY.length);
    }
}
