package org.seggateway.gateway.worklist;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * Draws one axial slice of a volume as a grey image with its label map blended on top in colour (headless
 * java.awt.image; no display needed). The slice is the middle of the labelled slices, or the middle of the volume
 * when nothing is labelled. CT is windowed at [-160, 240] HU (soft tissue); other modalities at the slice's own
 * value range. The image is the slice's pixel grid scaled up by a whole factor (nearest neighbour) until its
 * longer side reaches {@link #MIN_SIDE}; pixel spacing is not corrected for.
 */
final class ThumbnailRenderer {
    static final int MIN_SIDE = 256;
    static final float CT_LOW = -160, CT_HIGH = 240;
    /** Overlay colours by label value (label 1 = the first entry), repeated for higher labels. */
    static final int[] PALETTE = {0xFF3030, 0x30D030, 0x3080FF, 0xFFD020, 0xD040D0, 0x20D0D0};
    static final double OVERLAY_OPACITY = 0.5;

    private ThumbnailRenderer() {}

    /** The z index drawn: the middle of the slices holding a label, else the middle slice. */
    static int slice(LabelMap labels) {
        int first = -1, last = -1, size = labels.width() * labels.height();
        byte[] l = labels.labels();
        for (int z = 0; z < labels.depth(); z++) {
            for (int i = z * size, end = i + size; i < end; i++) {
                if (l[i] != 0) {
                    if (first < 0) first = z;
                    last = z;
                    break;
                }
            }
        }
        return first < 0 ? labels.depth() / 2 : (first + last) / 2;
    }

    /** Whole-number scale factor of the drawn image. */
    static int scale(VolumeGeometry g) {
        return Math.max(1, (MIN_SIDE + Math.max(g.width(), g.height()) - 1) / Math.max(g.width(), g.height()));
    }

    static BufferedImage render(Volume volume, LabelMap labels, boolean ct) {
        VolumeGeometry g = volume.geometry();
        if (labels.width() != g.width() || labels.height() != g.height() || labels.depth() != g.depth())
            throw new IllegalArgumentException("label map " + labels.width() + "x" + labels.height() + "x" + labels.depth()
                    + " does not match series " + volume.seriesInstanceUid() + " of " + g);
        int z = slice(labels), size = g.sliceSize(), offset = z * size, s = scale(g);
        float low = CT_LOW, high = CT_HIGH;
        if (!ct) {
            low = Float.POSITIVE_INFINITY;
            high = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < size; i++) {
                float v = volume.value(offset + i);
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        float range = Math.max(high - low, 1e-6f);
        BufferedImage image = new BufferedImage(g.width() * s, g.height() * s, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                int i = offset + x + g.width() * y;
                int grey = Math.round(255 * Math.clamp((volume.value(i) - low) / range, 0f, 1f));
                int rgb = grey << 16 | grey << 8 | grey;
                int label = labels.labels()[i] & 0xFF;
                if (label != 0) rgb = blend(rgb, PALETTE[(label - 1) % PALETTE.length]);
                for (int dy = 0; dy < s; dy++)
                    for (int dx = 0; dx < s; dx++) image.setRGB(x * s + dx, y * s + dy, rgb);
            }
        }
        return image;
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        return out.toByteArray();
    }

    static int blend(int grey, int colour) {
        int rgb = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = grey >> shift & 0xFF, b = colour >> shift & 0xFF;
            rgb |= (int) Math.round(a * (1 - OVERLAY_OPACITY) + b * OVERLAY_OPACITY) << shift;
        }
        return rgb;
    }
}
