package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.seggateway.dicomio.testing.ExternalTools;

/** The checks every written SEG goes through with the external tools. */
final class RoundTripChecks {
    private RoundTripChecks() {}

    /**
     * dciodvfy warnings we accept, each with its reason; any other warning fails. Empty: the SEGs we
     * write give none with dicom3tools 1.00~20220618.
     */
    static final List<String> EXPLAINED_WARNINGS = List.of();

    /** dciodvfy: no error; warnings are printed and must each be explained in {@link #EXPLAINED_WARNINGS}. */
    static void assertDciodvfyClean(Path seg, String name) {
        List<String> warnings = ExternalTools.assertDciodvfyHasNoError(seg, name);
        assertThat(warnings).as("unexplained dciodvfy warnings")
                .allMatch(w -> EXPLAINED_WARNINGS.stream().anyMatch(w::contains));
    }

    static void assertDcmdumpReads(Path seg) {
        ExternalTools.Run dump = ExternalTools.dcmdump(seg);
        assertThat(dump.exitCode()).as("dcmdump exit status: %s", dump.output()).isZero();
        assertThat(dump.output()).contains("SegmentSequence").contains("PerFrameFunctionalGroupsSequence");
    }

    /**
     * The pydicom reader (src/test/python/seg_roundtrip.py) rebuilds the label map from frame references
     * and positions; it must equal {@code expected} voxel for voxel.
     */
    static void assertPydicomRebuilds(Path seg, Path sourceDirectory, LabelMap expected, Path workDir) throws IOException {
        Path rebuilt = Files.createTempFile(workDir, "rebuilt", ".raw");
        ExternalTools.Run check = ExternalTools.python(Path.of("src/test/python/seg_roundtrip.py").toAbsolutePath().toString(),
                seg.toString(), sourceDirectory.toString(), rebuilt.toString());
        System.out.println("pydicom: " + check.output().strip());
        assertThat(check.exitCode()).as("pydicom round trip: %s", check.output()).isZero();
        assertThat(Files.readAllBytes(rebuilt)).as("label map rebuilt by pydicom").isEqualTo(expected.labels());
    }
}
