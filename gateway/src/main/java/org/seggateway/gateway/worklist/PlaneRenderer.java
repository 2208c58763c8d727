package org.seggateway.gateway.worklist;

import java.awt.image.BufferedImage;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * Draws one slice of a volume on one {@link Plane} with its label map blended on top (the colours and opacity of
 * {@link ThumbnailRenderer}). Axial: x to the right, y down, as the images are stored. Coronal (one y) and sagittal
 * (one x): x respectively y to the right, slices down, the last slice on top when the slices run towards the head
 * (+z in patient coordinates), so that the head is up. Pixels keep their physical aspect: the image is the in-plane
 * grid scaled by a whole factor until its longer side reaches {@link ThumbnailRenderer#MIN_SIDE}, the vertical axis
 * stretched by the ratio of its spacing to the horizontal one (nearest neighbour), at most {@link #MAX_SIDE} pixels.
 */
final class PlaneRenderer {
    static final int MAX_SIDE = 4096;

    private PlaneRenderer() {}

    /** The number of slices of a plane: its valid indices are 0 to this less one. */
    static int count(VolumeGeometry g, Plane plane) {
        return switch (plane) {
            case AXIAL -> g.depth();
            case CORONAL -> g.height();
            case SAGITTAL -> g.width();
        };
    }

    /** The slice a reader sees first: the middle of the labelled ones on this plane, or the middle of the plane. */
    static int initial(LabelMap labels, Plane plane) {
        int first = -1, last = -1, w = labels.width(), h = labels.height();
        byte[] l = labels.labels();
        for (int i = 0; i < l.length; i++) {
            if (l[i] == 0) continue;
            int at = switch (plane) {
                case AXIAL -> i / (w * h);
                case CORONAL -> i / w % h;
                case SAGITTAL -> i % w;
            };
            if (first < 0 || at < first) first = at;
            if (at > last) last = at;
        }
        int n = switch (plane) {
            case AXIAL -> labels.depth();
            case CORONAL -> h;
            case SAGITTAL -> w;
        };
        return first < 0 ? n / 2 : (first + last) / 2;
    }

    /**
     * @param window the grey ramp {low, high} in modality values; null: the slice's own range
     * @throws IndexOutOfBoundsException when {@code index} is outside the plane
     */
    static BufferedImage render(Volume volume, LabelMap labels, Plane plane, int index, float[] window) {
        VolumeGeometry g = volume.geometry();
        if (labels.width() != g.width() || labels.height() != g.height() || labels.depth() != g.depth())
            throw new IllegalArgumentException("label map " + labels.width() + "x" + labels.height() + "x" + labels.depth()
                    + " does not match series " + volume.seriesInstanceUid() + " of " + g);
        int n = count(g, plane);
        if (index < 0 || index >= n)
            throw new IndexOutOfBoundsException("no " + plane.label() + " slice " + index + ": the series has 0 to " + (n - 1));
        int columns = plane == Plane.SAGITTAL ? g.height() : g.width();
        int rows = plane == Plane.AXIAL ? g.height() : g.depth();
        double horizontalSpacing = g.spacing()[plane == Plane.SAGITTAL ? 1 : 0];
        double verticalSpacing = g.spacing()[plane == Plane.AXIAL ? 1 : 2];
        double stretch = verticalSpacing / horizontalSpacing;
        int k = Math.max(1, (int) Math.ceil(ThumbnailRenderer.MIN_SIDE / Math.max(columns, rows * stretch)));
        k = Math.max(1, Math.min(k, (int) Math.floor(MAX_SIDE / Math.max(columns, rows * stretch))));
        int width = columns * k, height = (int) Math.max(1, Math.min(MAX_SIDE, Math.round(rows * stretch * k)));
        boolean headUp = plane != Plane.AXIAL && g.axis(2)[2] > 0;

        int[] source = new int[columns * rows];
        for (int r = 0; r < rows; r++) {
            int sliceRow = headUp ? rows - 1 - r : r;
            for (int c = 0; c < columns; c++)
                source[c + columns * r] = switch (plane) {
                    case AXIAL -> c + g.width() * r + g.sliceSize() * index;
                    case CORONAL -> c + g.width() * index + g.sliceSize() * sliceRow;
                    case SAGITTAL -> index + g.width() * c + g.sliceSize() * sliceRow;
                };
        }
        float low, high;
        if (window != null) {
            low = window[0];
            high = window[1];
        } else {
            low = Float.POSITIVE_INFINITY;
            high = Float.NEGATIVE_INFINITY;
            for (int i : source) {
                float v = volume.value(i);
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        float range = Math.max(high - low, 1e-6f);
        int[] rgb = new int[source.length];
        for (int p = 0; p < source.length; p++) {
            int i = source[p];
            int grey = Math.round(255 * Math.clamp((volume.value(i) - low) / range, 0f, 1f));
            int colour = grey << 16 | grey << 8 | grey;
            int label = labels.labels()[i] & 0xFF;
            if (label != 0) colour = ThumbnailRenderer.blend(colour, ThumbnailRenderer.PALETTE[(label - 1) % ThumbnailRenderer.PALETTE.length]);
            rgb[p] = colour;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] line = new int[width];
        for (int y = 0; y < height; y++) {
            int r = Math.min(rows - 1, (int) ((long) y * rows / height));
            for (int x = 0; x < width; x++) line[x] = rgb[x / k + columns * r];
            image.setRGB(0, y, width, 1, line, 0, width);
        }
        return image;
    }
}
