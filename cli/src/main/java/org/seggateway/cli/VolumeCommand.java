package org.seggateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seggateway.dicomio.volume.DicomFolderScanner;
import org.seggateway.dicomio.volume.FolderScan;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VolumeReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "volume", mixinStandardHelpOptions = true,
        description = {"Assembles every image series under DIR into a volume and prints one JSON object per series "
                + "and line: seriesInstanceUid, dimensions [x,y,z], spacing, origin, direction (3x3 row-major, "
                + "columns = axes), sliceCount, voxelType, valueRange [min,max], warnings.",
                "Folder-level warnings (ignored files) and series that cannot be assembled go to stderr; "
                + "the exit status is 2 if any series failed or none was found."})
final class VolumeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "folder searched recursively for DICOM files")
    Path directory;

    @Spec
    CommandSpec spec;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        FolderScan scan = DicomFolderScanner.scan(directory);
        scan.warnings().forEach(w -> err.println("warning: " + w));
        if (scan.series().isEmpty()) {
            err.println("error: no DICOM image series in " + directory);
            return 2;
        }
        int failed = 0;
        for (VolumeReader.Result result : VolumeReader.readFolder(scan)) {
            if (result.ok()) {
                out.println(json.writeValueAsString(summary(result.volume())));
            } else {
                err.println("error: " + SegGateway.oneLine(result.error()));
                failed++;
            }
        }
        out.flush();
        err.flush();
        return failed == 0 ? 0 : 2;
    }

    static Map<String, Object> summary(Volume v) {
        VolumeGeometry g = v.geometry();
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < g.voxelCount(); i++) {
            float value = v.value(i);
            if (value < min) min = value;
            if (value > max) max = value;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seriesInstanceUid", v.seriesInstanceUid());
        m.put("dimensions", List.of(g.width(), g.height(), g.depth()));
        m.put("spacing", g.spacing());
        m.put("origin", g.origin());
        m.put("direction", g.direction());
        m.put("sliceCount", g.depth());
        m.put("interpolatedSlices", v.slices().stream().filter(s -> s.isInterpolated()).count());
        m.put("voxelType", v.voxelType().name());
        m.put("valueRange", List.of(min, max));
        m.put("warnings", v.warnings());
        return m;
    }
}
