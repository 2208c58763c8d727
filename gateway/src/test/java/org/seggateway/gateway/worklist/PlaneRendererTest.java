package org.seggateway.gateway.worklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;

/**
 * Planes of a known volume: 20 x 16 voxels in plane, 10 slices running towards the head, 1 x 1 x 2 mm; every voxel's
 * value is 100 x its slice index (so each slice has its own grey), and label 1 on the box x 4..7, y 10..12, z 6..7.
 */
class PlaneRendererTest {
    static final int W = 20, H = 16, D = 10;
    static final float[] WINDOW = {0, 900};

    static Volume volume() {
        VolumeGeometry g = new VolumeGeometry(W, H, D, new double[] {1, 1, 2}, new double[] {0, 0, 0},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        short[] v = new short[W * H * D];
        for (int i = 0; i < v.length; i++) v[i] = (short) (100 * (i / (W * H)));
        return new Volume("1.2.3", "1.2.4", g, List.of(), null, VoxelType.INT16, v, null, List.of());
    }

    static boolean labelled(int x, int y, int z) {
        return x >= 4 && x <= 7 && y >= 10 && y <= 12 && z >= 6 && z <= 7;
    }

    static LabelMap labels() {
        byte[] l = new byte[W * H * D];
        for (int z = 0; z < D; z++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) if (labelled(x, y, z)) l[x + W * y + W * H * z] = 1;
        return new LabelMap(W, H, D, l);
    }

    static boolean red(int rgb) {
        int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
        return r > g + 60 && r > b + 60;
    }

    static boolean grey(int rgb) {
        return (rgb >> 16 & 0xFF) == (rgb >> 8 & 0xFF) && (rgb >> 8 & 0xFF) == (rgb & 0xFF);
    }

    @Test
    void axialSliceShowsTheLabelWhereItIsAndNowhereElse() {
        BufferedImage image = PlaneRenderer.render(volume(), labels(), Plane.AXIAL, 6, WINDOW);
        int k = ThumbnailRenderer.MIN_SIDE / W + (ThumbnailRenderer.MIN_SIDE % W == 0 ? 0 : 1);
        assertThat(image.getWidth()).isEqualTo(W * k);
        assertThat(image.getHeight()).isEqualTo(H * k);
        for (int py = 0; py < image.getHeight(); py++)
            for (int px = 0; px < image.getWidth(); px++) {
                int rgb = image.getRGB(px, py);
                if (labelled(px / k, py / k, 6)) assertThat(red(rgb)).as("overlay at %d,%d", px, py).isTrue();
                else assertThat(rgb & 0xFF).as("grey of slice 6 at %d,%d", px, py).isEqualTo(Math.round(255 * 600 / 900f));
            }
        BufferedImage other = PlaneRenderer.render(volume(), labels(), Plane.AXIAL, 5, WINDOW);
        for (int py = 0; py < other.getHeight(); py++)
            for (int px = 0; px < other.getWidth(); px++) assertThat(grey(other.getRGB(px, py))).isTrue();
    }

    @Test
    void coronalAndSagittalSlicesPutTheHeadUpAndKeepTheAspect() {
        // coronal at y = 11: x to the right, slices down with the last (head) slice on top; 2 mm slices twice as tall
        BufferedImage coronal = PlaneRenderer.render(volume(), labels(), Plane.CORONAL, 11, WINDOW);
        int k = (int) Math.ceil(ThumbnailRenderer.MIN_SIDE / (double) W);
        assertThat(coronal.getWidth()).isEqualTo(W * k);
        assertThat(coronal.getHeight()).isEqualTo(D * 2 * k);
        int rowsPerSlice = 2 * k;
        for (int py = 0; py < coronal.getHeight(); py++)
            for (int px = 0; px < coronal.getWidth(); px++) {
                int z = D - 1 - py / rowsPerSlice, rgb = coronal.getRGB(px, py);
                if (labelled(px / k, 11, z)) assertThat(red(rgb)).as("overlay at %d,%d", px, py).isTrue();
                else assertThat(rgb & 0xFF).as("grey of slice %d at %d,%d", z, px, py).isEqualTo(Math.round(255 * Math.min(1f, 100 * z / 900f)));
            }
        // sagittal at x = 5: y to the right
        BufferedImage sagittal = PlaneRenderer.render(volume(), labels(), Plane.SAGITTAL, 5, WINDOW);
        int ks = (int) Math.ceil(ThumbnailRenderer.MIN_SIDE / (double) (D * 2));
        assertThat(sagittal.getWidth()).isEqualTo(H * ks);
        int overlay = 0;
        for (int py = 0; py < sagittal.getHeight(); py++)
            for (int px = 0; px < sagittal.getWidth(); px++) {
                int z = D - 1 - py / (2 * ks);
                boolean isRed = red(sagittal.getRGB(px, py));
                assertThat(isRed).as("overlay at %d,%d", px, py).isEqualTo(labelled(5, px / ks, z));
                if (isRed) overlay++;
            }
        assertThat(overlay).isEqualTo(3 * ks * 2 * 2 * ks);
        // a sagittal slice outside the box has no overlay at all
        BufferedImage outside = PlaneRenderer.render(volume(), labels(), Plane.SAGITTAL, 12, WINDOW);
        for (int py = 0; py < outside.getHeight(); py++)
            for (int px = 0; px < outside.getWidth(); px++) assertThat(grey(outside.getRGB(px, py))).isTrue();
    }

    @Test
    void startsInTheMiddleOfTheLabelAndRefusesASliceOutsideThePlane() {
        assertThat(PlaneRenderer.initial(labels(), Plane.AXIAL)).isEqualTo(6);
        assertThat(PlaneRenderer.initial(labels(), Plane.CORONAL)).isEqualTo(11);
        assertThat(PlaneRenderer.initial(labels(), Plane.SAGITTAL)).isEqualTo(5);
        assertThat(PlaneRenderer.initial(new LabelMap(W, H, D, new byte[W * H * D]), Plane.SAGITTAL)).isEqualTo(W / 2);
        assertThat(PlaneRenderer.count(volume().geometry(), Plane.CORONAL)).isEqualTo(H);
        assertThatThrownBy(() -> PlaneRenderer.render(volume(), labels(), Plane.AXIAL, D, WINDOW))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("no axial slice 10: the series has 0 to 9");
    }
}
