package org.seggateway.inference;

/** Dice overlap of one label between a label map and the ground truth on the same grid. */
public final class Dice {
    private Dice() {
    }

    /** {@code 2|A∩B| / (|A|+|B|)}, 1 when the label is in neither. */
    public static double of(byte[] labels, byte[] truth, int label) {
        long both = 0, a = 0, b = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean x = labels[i] == label, y = truth[i] == label;
            if (x) a++;
            if (y) b++;
            if (x && y) both++;
        }
        return a + b == 0 ? 1 : 2.0 * both / (a + b);
    }
}
