package org.seggateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.seg.SegmentDescription;
import org.seggateway.dicomio.seg.SegmentationOptions;
import org.seggateway.dicomio.seg.SegmentationSource;
import org.seggateway.dicomio.seg.SegmentationWriter;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.dicomio.uid.UidGenerator;
import org.seggateway.dicomio.volume.DicomFolderScanner;
import org.seggateway.dicomio.volume.FolderScan;
import org.seggateway.dicomio.volume.SeriesFiles;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.inference.SegmentOptions;
import org.seggateway.inference.SegmentationResult;
import org.seggateway.inference.Segmenter;
import org.seggateway.inference.StageTimings;
import org.seggateway.inference.model.LabelSpec;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.runtime.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Segments a DICOM series with a model package and writes the result as a DICOM SEG (offline: "
                + "no Kafka, no database).",
                "",
                "Prints the series, the model, the execution provider, the time per stage and the SEG written on "
                        + "stdout; progress (windows done / total) goes to stderr. Segments are the model's labels "
                        + "(name, SNOMED CT category and type, colour), numbered 1..n in label-value order, with the "
                        + "model's name and version as the segmentation algorithm."})
final class InferCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "model package folder (model.json + ONNX file)")
    Path model;

    @Option(names = "--series", required = true, paramLabel = "DIR", description = "folder holding the source series")
    Path series;

    @Option(names = "--series-uid", paramLabel = "UID", description = "which series of DIR to segment, when it holds several")
    String seriesUid;

    @Option(names = "--out", required = true, paramLabel = "OUT.dcm", description = "SEG file to write")
    Path out;

    @Option(names = "--labels-out", paramLabel = "FILE",
            description = "also write the label map as raw uint8 (x fastest, then y, then z in slice order; the format `seg --labels` reads)")
    Path labelsOut;

    @picocli.CommandLine.Mixin
    GpuOptions gpu;

    @Option(names = "--provider", defaultValue = "auto",
            description = "execution provider: cpu, cuda or auto (CUDA if it loads, else CPU; default ${DEFAULT-VALUE})")
    String provider;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = one per core)")
    int threads;

    @Option(names = "--largest-component", description = "keep only the largest connected component of each label")
    boolean largestComponent;

    @Option(names = "--series-number", defaultValue = "900", description = "Series Number of the SEG (default ${DEFAULT-VALUE})")
    int seriesNumber;

    @Option(names = "--uid-root", paramLabel = "ROOT", description = "organisation UID root for new UIDs (default 2.25.<UUID>)")
    String uidRoot;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = System.out, stderr = System.err;
        if (labelsOut != null) checkRawName(labelsOut);
        RuntimeOptions runtime = gpu.runtime(provider, threads);
        ModelPackage modelPackage = ModelPackage.load(model);
        ModelManifest manifest = modelPackage.manifest();

        long t0 = System.nanoTime();
        Volume volume = readSeries();
        long t1 = System.nanoTime();
        VolumeGeometry g = volume.geometry();
        double[] s = g.spacing();
        stdout.printf(Locale.ROOT, "series %s: %dx%dx%d voxels at %.3gx%.3gx%.3g mm%n", volume.seriesInstanceUid(),
                g.width(), g.height(), g.depth(), s[0], s[1], s[2]);
        volume.warnings().forEach(w -> stderr.println("warning: " + w));

        SegmentationResult result;
        try (Segmenter segmenter = Segmenter.open(modelPackage, runtime)) {
            stdout.printf("model %s on %s, %d threads%n", modelPackage.displayName(), segmenter.session().provider(),
                    segmenter.session().threads());
            stdout.flush();
            WindowProgress progress = WindowProgress.onStderr();
            result = segmenter.segment(volume, new SegmentOptions(largestComponent, false), progress);
            progress.end();
        }
        LabelMap labels = result.labels();

        long t2 = System.nanoTime();
        List<SegmentDescription> segments = manifest.labels().stream()
                .map(l -> l.segmentDescription(manifest.name(), manifest.version())).toList();
        SegmentationOptions options = SegmentationOptions.defaults()
                .withSeries(seriesNumber, fit("AI " + manifest.name() + " " + manifest.version()))
                .withContent("SEGMENTATION", fit(manifest.name() + " " + manifest.version() + " segmentation"), "");
        if (uidRoot != null) options = options.withUids(new UidGenerator(uidRoot));
        WrittenSegmentation seg = new SegmentationWriter(options).write(SegmentationSource.of(volume), labels, segments, out);
        long t3 = System.nanoTime();
        if (labelsOut != null) writeRaw(labelsOut, labels);

        int[] m = result.modelGridSize();
        stdout.printf(Locale.ROOT, "model grid %dx%dx%d, %d windows%n", m[0], m[1], m[2], result.windows());
        printTimings(stdout, t1 - t0, result.timings(), t3 - t2);
        stdout.println(segmentCounts(manifest, labels));
        stdout.printf(Locale.ROOT, "SEG %s: %d frames, %d bytes, SOP Instance UID %s, series %s%n", seg.file(), seg.frameCount(),
                seg.fileSize(), seg.sopInstanceUid(), seg.seriesInstanceUid());
        if (!seg.segmentsWithoutFrames().isEmpty())
            stdout.println("labels found nowhere (segments without frames): " + seg.segmentsWithoutFrames());
        seg.labelsLeftOut().forEach(l -> stderr.println("warning: " + l.describe()));
        if (labelsOut != null) stdout.println("label map " + labelsOut + " (raw uint8, " + labels.labels().length + " bytes)");
        return 0;
    }

    private Volume readSeries() throws Exception {
        FolderScan scan = DicomFolderScanner.scan(series);
        scan.warnings().forEach(w -> System.err.println("warning: " + w));
        List<SeriesFiles> found = scan.series();
        if (found.isEmpty()) throw new IllegalArgumentException("no DICOM image series in " + series);
        if (seriesUid != null) {
            return VolumeReader.read(found.stream().filter(f -> f.seriesInstanceUid().equals(seriesUid)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("series " + seriesUid + " is not in " + series
                            + "; it holds " + describe(found))));
        }
        if (found.size() > 1)
            throw new IllegalArgumentException(series + " holds " + found.size() + " image series: " + describe(found)
                    + "; choose one with --series-uid");
        return VolumeReader.read(found.getFirst());
    }

    private static String describe(List<SeriesFiles> found) {
        return found.stream().map(f -> f.seriesInstanceUid() + " (" + f.instances().size() + " instances)")
                .collect(Collectors.joining(", "));
    }

    private static void printTimings(PrintStream out, long readNanos, StageTimings t, long writeNanos) {
        out.println("| stage | seconds |");
        out.println("| --- | ---: |");
        row(out, "read series", readNanos);
        row(out, "preprocess (reorient, resample, normalise, pad)", t.preprocessNanos());
        row(out, "sliding window (wall)", t.slidingWindowNanos());
        row(out, "  inference (network)", t.inferenceNanos());
        row(out, "  gather windows (overlaps inference)", t.gatherNanos());
        row(out, "  blending (overlaps inference)", t.blendNanos());
        row(out, "postprocess (labels back to the source grid)", t.postprocessNanos());
        row(out, "write SEG", writeNanos);
        row(out, "total", readNanos + t.totalNanos() + writeNanos);
    }

    private static void row(PrintStream out, String stage, long nanos) {
        out.printf(Locale.ROOT, "| %s | %.2f |%n", stage, nanos / 1e9);
    }

    private static String segmentCounts(ModelManifest manifest, LabelMap labels) {
        long[] count = new long[256];
        for (byte b : labels.labels()) count[b & 0xFF]++;
        StringBuilder line = new StringBuilder("voxels per label:");
        for (LabelSpec l : manifest.labels()) line.append(' ').append(l.name()).append(' ').append(count[l.value()]).append(',');
        line.setLength(line.length() - 1);
        return line.toString();
    }

    /** DICOM LO values hold 64 characters. */
    private static String fit(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64);
    }

    /** A .nrrd/.nhdr name would make `seg --labels` read the raw bytes as NRRD; dicom-io has no NRRD writer. */
    private static void checkRawName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".nrrd") || name.endsWith(".nhdr"))
            throw new IllegalArgumentException("--labels-out " + file + ": only raw uint8 is written (no NRRD writer yet); "
                    + "use a name such as labels.raw");
    }

    private static void writeRaw(Path file, LabelMap labels) throws IOException {
        Path target = file.toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.write(partial, labels.labels());
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
