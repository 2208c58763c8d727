package org.seggateway.dicomio.seg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.synthetic.Phantom;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.volume.SliceSource;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * Test fixtures: a {@link SegmentationSource} read from a synthetic series' own files (header by header,
 * sorted along the slice normal, so file order does not matter), the phantom's label map on its grid,
 * and five segment descriptions.
 */
final class TestSeries {
    private TestSeries() {}

    static SegmentationSource source(SyntheticSeries.Written written) throws IOException {
        record Slice(DicomHeader header, double[] position, double distance) {}
        List<Slice> slices = new ArrayList<>();
        double[] iop = null, normal = null;
        for (Path file : written.files()) {
            DicomHeader h = DicomHeader.read(file);
            if (List.of(h.strings("ImageType")).contains("LOCALIZER")) continue;
            if (iop == null) {
                iop = doubles(h.strings("ImageOrientationPatient"));
                normal = new double[] {iop[1] * iop[5] - iop[2] * iop[4], iop[2] * iop[3] - iop[0] * iop[5],
                        iop[0] * iop[4] - iop[1] * iop[3]};
            }
            double[] p = doubles(h.strings("ImagePositionPatient"));
            slices.add(new Slice(h, p, p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2]));
        }
        slices.sort(Comparator.comparingDouble(Slice::distance));
        DicomHeader first = slices.getFirst().header();
        double[] pixelSpacing = doubles(first.strings("PixelSpacing"));
        int depth = slices.size();
        double sliceSpacing = depth > 1 ? (slices.getLast().distance() - slices.getFirst().distance()) / (depth - 1) : 1;
        double[] direction = {iop[0], iop[3], normal[0], iop[1], iop[4], normal[1], iop[2], iop[5], normal[2]};
        VolumeGeometry geometry = new VolumeGeometry(Integer.parseInt(first.string("Columns")),
                Integer.parseInt(first.string("Rows")), depth, new double[] {pixelSpacing[1], pixelSpacing[0], sliceSpacing},
                slices.getFirst().position(), direction);
        List<SliceSource> sources = slices.stream()
                .map(s -> new SliceSource(s.header().string("SOPClassUID"), s.header().string("SOPInstanceUID"), 0))
                .toList();
        return new SegmentationSource(geometry, sources, first, first.string("SeriesInstanceUID"),
                first.string("FrameOfReferenceUID"));
    }

    /**
     * Phantom liver (1) and lesion (2) sampled at each voxel's patient position, plus a box (3) on some
     * slices, the very last voxel of the grid (4) and a one-voxel-per-slice diagonal (5).
     */
    static LabelMap fiveSegmentLabels(VolumeGeometry g) {
        Phantom phantom = Phantom.standard();
        int w = g.width(), h = g.height(), d = g.depth();
        byte[] labels = new byte[w * h * d];
        for (int z = 0; z < d; z++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    double[] p = g.positionOf(x, y, z);
                    labels[x + w * (y + h * z)] = (byte) phantom.labelAt(p[0], p[1], p[2]);
                }
        for (int z = d / 4; z < d / 2; z++)
            for (int y = h / 5; y < h * 3 / 10; y++)
                for (int x = w * 7 / 10; x < w * 8 / 10; x++) labels[x + w * (y + h * z)] = 3;
        labels[labels.length - 1] = 4;
        for (int z = 0; z < d; z++) labels[(z % w) + w * ((z % h) + h * z)] = 5;
        return new LabelMap(w, h, d, labels);
    }

    static List<SegmentDescription> fiveSegments() {
        Code anatomy = new Code("123037004", "SCT", "Anatomical Structure");
        return List.of(
                segment(1, "Liver", anatomy, new Code("10200004", "SCT", "Liver"), new int[] {221, 130, 101}),
                segment(2, "Lesion", new Code("49755003", "SCT", "Morphologically Altered Structure"),
                        new Code("4147007", "SCT", "Mass"), new int[] {255, 0, 0}),
                segment(3, "Spleen", anatomy, new Code("78961009", "SCT", "Spleen"), new int[] {157, 108, 162}),
                segment(4, "Kidney", anatomy, new Code("64033007", "SCT", "Kidney"), null),
                segment(5, "Gallbladder", anatomy, new Code("28231008", "SCT", "Gallbladder"), new int[] {139, 150, 98}));
    }

    static SegmentDescription segment(int value, String label, Code category, Code type, int[] rgb) {
        return new SegmentDescription(value, label, category, type, "test-unet", "1.2.3", rgb);
    }

    static double[] doubles(String[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) d[i] = Double.parseDouble(values[i].trim());
        return d;
    }
}
