package org.seggateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.seggateway.dicomio.seg.Code;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.seg.LabelMapFiles;
import org.seggateway.dicomio.seg.SegmentDescription;
import org.seggateway.dicomio.seg.SegmentationOptions;
import org.seggateway.dicomio.seg.SegmentationSource;
import org.seggateway.dicomio.seg.SegmentationWriter;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.dicomio.synthetic.SyntheticLabelMaps;
import org.seggateway.dicomio.uid.UidGenerator;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "seg", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a DICOM SEG (Segmentation Storage, BINARY) of a label map on a series' grid.",
                "",
                "FILE is raw or NRRD. Raw: one unsigned byte per voxel (0 = background) in the volume's voxel "
                        + "order: x fastest (along a row), then y (down a column), then z (slices sorted by position "
                        + "along the slice normal, row x column direction, as `volume` reports); "
                        + "index = x + width * (y + height * z), file size = width * height * depth bytes. "
                        + "NRRD (.nrrd/.nhdr name or NRRD magic): type uint8, sizes width height depth, raw or gzip encoding.",
                "",
                "SEGMENTS.json: a JSON array shaped like the labels of a model package's model.json: "
                        + "[{\"value\":1, \"name\":\"Liver\", \"category\":{\"code\":\"123037004\", \"scheme\":\"SCT\", "
                        + "\"meaning\":\"Anatomical Structure\"}, \"type\":{\"code\":\"10200004\", \"scheme\":\"SCT\", "
                        + "\"meaning\":\"Liver\"}, \"color\":[221,130,101], \"algorithmName\":\"...\", \"algorithmVersion\":\"...\"}] "
                        + "(color, algorithmName and algorithmVersion optional). Every label value in FILE must be described.",
                "",
                "Prints one JSON object describing the SEG written."})
final class SegCommand implements Callable<Integer> {

    @Option(names = "--series", required = true, paramLabel = "DIR", description = "folder holding the source series (one image series)")
    Path series;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @ArgGroup(exclusive = false)
        LabelFile labelFile;

        @Option(names = "--synthetic", required = true,
                description = "segment a synthetic sphere in the middle of the volume (one segment, for checks without a model)")
        boolean synthetic;
    }

    static final class LabelFile {
        @Option(names = "--labels", required = true, paramLabel = "FILE", description = "label map: raw uint8 or NRRD (see above)")
        Path labels;

        @Option(names = "--segments", required = true, paramLabel = "SEGMENTS.json", description = "what each label value means")
        Path segments;
    }

    @Option(names = "--out", required = true, paramLabel = "OUT.dcm", description = "SEG file to write")
    Path out;

    @Option(names = "--series-number", defaultValue = "900", description = "Series Number of the SEG (default ${DEFAULT-VALUE})")
    int seriesNumber;

    @Option(names = "--series-description", defaultValue = "AI segmentation", description = "default: ${DEFAULT-VALUE}")
    String seriesDescription;

    @Option(names = "--algorithm-name", defaultValue = "seg-gateway",
            description = "algorithm name for labels without algorithmName (default ${DEFAULT-VALUE})")
    String algorithmName;

    @Option(names = "--algorithm-version", defaultValue = "0.1.0",
            description = "algorithm version for labels without algorithmVersion (default ${DEFAULT-VALUE})")
    String algorithmVersion;

    @Option(names = "--uid-root", paramLabel = "ROOT", description = "organisation UID root for new UIDs (default 2.25.<UUID>)")
    String uidRoot;

    @Override
    public Integer call() throws Exception {
        Volume volume = VolumeReader.readSingleSeries(series);
        SegmentationSource source = SegmentationSource.of(volume);
        LabelMap labels;
        List<SegmentDescription> segments;
        if (input.synthetic) {
            labels = SyntheticLabelMaps.sphere(source.geometry(), 1);
            segments = List.of(new SegmentDescription(1, "Sphere",
                    new Code("309825002", "SCT", "Spatial and Relational Concept"), new Code("122485", "DCM", "Sphere"),
                    "synthetic-sphere", algorithmVersion, new int[] {255, 200, 0}));
        } else {
            labels = LabelMapFiles.read(input.labelFile.labels, source.geometry());
            segments = SegmentsJson.read(input.labelFile.segments, algorithmName, algorithmVersion);
        }
        SegmentationOptions options = SegmentationOptions.defaults().withSeries(seriesNumber, seriesDescription);
        if (uidRoot != null) options = options.withUids(new UidGenerator(uidRoot));
        WrittenSegmentation seg = new SegmentationWriter(options).write(source, labels, segments, out);

        ObjectMapper json = new ObjectMapper();
        ObjectNode report = json.createObjectNode();
        report.put("file", seg.file().toString());
        report.put("sopInstanceUid", seg.sopInstanceUid());
        report.put("seriesInstanceUid", seg.seriesInstanceUid());
        report.put("sourceSeriesInstanceUid", source.seriesInstanceUid());
        report.put("frames", seg.frameCount());
        report.put("bytes", seg.fileSize());
        report.putPOJO("segmentNumbers", seg.segmentNumbers());
        report.putPOJO("segmentsWithoutFrames", seg.segmentsWithoutFrames());
        if (seg.voxelsLeftOut() > 0) report.put("voxelsOnSlicesWithoutSourceLeftOut", seg.voxelsLeftOut());
        if (!seg.labelsLeftOut().isEmpty())
            report.putPOJO("labelsLeftOut", seg.labelsLeftOut().stream().map(org.seggateway.dicomio.seg.LabelLeftOut::describe).toList());
        report.putPOJO("warnings", volume.warnings());
        System.out.println(json.writeValueAsString(report));
        return 0;
    }
}
