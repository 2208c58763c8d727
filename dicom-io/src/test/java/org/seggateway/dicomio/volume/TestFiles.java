package org.seggateway.dicomio.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/** Test helpers: edit DICOM files in place, run DCMTK tools, compare a volume with the synthetic phantom. */
final class TestFiles {
    private TestFiles() {}

    interface Edit {
        void apply(AttributeList list) throws DicomException;
    }

    /** Reads a file, applies an edit and writes it back in its transfer syntax. */
    static void edit(Path file, Edit edit) throws IOException, DicomException {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        String ts = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
        edit.apply(list);
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        FileMetaInformation.addFileMetaInformation(list, ts, "SEGGATEWAYTEST");
        list.write(file.toFile(), ts, true, true);
    }

    static void set(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String... values) throws DicomException {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        for (String v : values) a.addValue(v);
        list.put(a);
    }

    /** Runs a command (a DCMTK or dicom3tools program); fails the test if it cannot run or exits non-zero. */
    static String run(String... command) throws IOException, InterruptedException {
        return runIn(null, command);
    }

    static String runIn(Path directory, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s exit status, output:%n%s", String.join(" ", command), out).isZero();
        return out;
    }

    /** Applies a DCMTK converter (e.g. dcmcjpeg) to every file of a series, writing into {@code to}. */
    static List<Path> convertEach(SyntheticSeries.Written series, Path to, String tool, String... options)
            throws IOException, InterruptedException {
        Files.createDirectories(to);
        List<Path> out = new ArrayList<>();
        for (Path file : series.files()) {
            Path target = to.resolve(file.getFileName());
            List<String> command = new ArrayList<>(List.of(tool));
            command.addAll(List.of(options));
            command.add(file.toString());
            command.add(target.toString());
            run(command.toArray(String[]::new));
            out.add(target);
        }
        return out;
    }

    /**
     * Fraction of voxels whose value differs (by more than 0.5) from the noise-free value the synthetic
     * series samples at that voxel's patient position. A geometry error moves whole structures and gives
     * far more than the few boundary voxels that rounding of the written positions can flip.
     */
    static double mismatchFraction(Volume volume, SyntheticSeries series) {
        VolumeGeometry g = volume.geometry();
        long mismatches = 0;
        for (int z = 0; z < g.depth(); z++)
            for (int y = 0; y < g.height(); y++)
                for (int x = 0; x < g.width(); x++) {
                    double[] p = g.positionOf(x, y, z);
                    double expected = series.valueAt(p[0], p[1], p[2]);
                    if (Math.abs(volume.value(x + g.width() * (y + g.height() * z)) - expected) > 0.5) mismatches++;
                }
        return (double) mismatches / g.voxelCount();
    }
}
