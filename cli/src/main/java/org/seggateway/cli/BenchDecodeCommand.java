package org.seggateway.cli;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomFileUtilities;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.seggateway.dicomio.codec.CompressedSyntax;
import org.seggateway.dicomio.codec.EncapsulatedFrames;
import org.seggateway.dicomio.codec.FrameDecoder;
import org.seggateway.dicomio.codec.FrameSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Times the decoding of the compressed DICOM files in DIR (grouped by transfer syntax) by seg-gateway's",
                "decoders, beside the Debian command-line decoders on the same files in the same run: DCMTK dcmdjpls",
                "(JPEG-LS), dcmdrle (RLE), dcmdjpeg (JPEG), GDCM gdcmconv --raw and OpenJPEG opj_decompress (JPEG 2000).",
                "MB/s = decoded pixel bytes (rows x columns x bytes per pixel x frames, MB = 10^6 bytes) per second of wall time,",
                "one thread. The Debian figures include one process start per file (opj_decompress: one for all files)."})
final class BenchDecodeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "folder of DICOM files in compressed transfer syntaxes")
    Path dir;

    @Option(names = "--repeats", defaultValue = "3", description = "runs of each decoder (default ${DEFAULT-VALUE}); the best is shown")
    int repeats;

    @Option(names = "--work", description = "folder for the Debian tools' output (default: a temporary folder)")
    Path work;

    private record Item(Path file, long pixelDataOffset, FrameSpec spec, int frames) {}

    @Override
    public Integer call() throws Exception {
        Map<CompressedSyntax, List<Item>> bySyntax = scan();
        if (bySyntax.isEmpty()) {
            System.err.println("error: no DICOM file in a compressed transfer syntax in " + dir);
            return 2;
        }
        Path out = work != null ? Files.createDirectories(work) : Files.createTempDirectory("bench-decode");
        System.out.printf(Locale.ROOT, "bench decode: %s, best of %d run(s), MB = 10^6 bytes of decoded pixels%n%n", dir, repeats);
        System.out.printf(Locale.ROOT, "%-28s %-40s %6s %7s %10s %9s %9s%n", "transfer syntax", "decoder", "files", "frames",
                "decoded MB", "seconds", "MB/s");
        for (Map.Entry<CompressedSyntax, List<Item>> e : bySyntax.entrySet()) {
            CompressedSyntax syntax = e.getKey();
            List<Item> items = e.getValue();
            String unavailable = syntax.unavailableReason();
            if (unavailable != null) {
                System.out.println(syntax.title() + ": " + unavailable);
                continue;
            }
            long bytes = 0, frames = 0;
            for (Item i : items) {
                bytes += (long) i.spec().pixels() * (i.spec().bitsAllocated() / 8) * i.frames();
                frames += i.frames();
            }
            double best = Double.MAX_VALUE;
            for (int run = 0; run < repeats; run++) best = Math.min(best, decodeAll(syntax, items));
            row(syntax, "seg-gateway (" + decoderName(syntax) + ")", items.size(), frames, bytes, best);
            for (List<String> tool : debianTools(syntax)) {
                Path target = Files.createDirectories(out.resolve(tool.getFirst()));
                double toolBest = Double.MAX_VALUE;
                for (int run = 0; run < repeats; run++) toolBest = Math.min(toolBest, runTool(tool, items, target));
                row(syntax, String.join(" ", tool), items.size(), frames, bytes, toolBest);
            }
            if (syntax == CompressedSyntax.JPEG_2000_LOSSLESS || syntax == CompressedSyntax.JPEG_2000) {
                Path codestreams = Files.createDirectories(out.resolve("j2k-codestreams-" + syntax.name()));
                for (Item i : items) {
                    if (i.frames() != 1) continue;
                    try (EncapsulatedFrames f = EncapsulatedFrames.open(i.file(), i.pixelDataOffset(), 1)) {
                        Files.write(codestreams.resolve(i.file().getFileName() + ".j2k"), f.frame(0));
                    }
                }
                double toolBest = Double.MAX_VALUE;
                // it writes name.rawl beside each codestream and would read those back as input on the next run
                List<String> command = List.of("opj_decompress", "-ImgDir", codestreams.toString(), "-OutFor", "RAWL");
                for (int run = 0; run < repeats; run++) {
                    try (Stream<Path> old = Files.list(codestreams)) {
                        for (Path p : old.filter(p -> p.toString().endsWith(".rawl")).toList()) Files.delete(p);
                    }
                    toolBest = Math.min(toolBest, time(command));
                }
                row(syntax, "opj_decompress (codestreams, 1 process)", items.size(), frames, bytes, toolBest);
            }
        }
        System.out.printf(Locale.ROOT, "%nDebian tools' output in %s%n", out);
        return 0;
    }

    private static String decoderName(CompressedSyntax syntax) {
        return switch (syntax) {
            case JPEG_2000_LOSSLESS, JPEG_2000 -> "OpenJPEG, FFM";
            case JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS -> "CharLS, FFM";
            case RLE_LOSSLESS -> "Java";
            case JPEG_LOSSLESS, JPEG_LOSSLESS_SV1 -> "pixelmed-imageio";
            case JPEG_BASELINE, JPEG_EXTENDED -> "JDK ImageIO";
        };
    }

    /** Per file: {@code tool... IN OUT}. */
    private static List<List<String>> debianTools(CompressedSyntax syntax) {
        return switch (syntax) {
            case JPEG_2000_LOSSLESS, JPEG_2000 -> List.of(List.of("gdcmconv", "--raw"));
            case JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS -> List.of(List.of("dcmdjpls"), List.of("gdcmconv", "--raw"));
            case RLE_LOSSLESS -> List.of(List.of("dcmdrle"), List.of("gdcmconv", "--raw"));
            case JPEG_LOSSLESS, JPEG_LOSSLESS_SV1, JPEG_BASELINE, JPEG_EXTENDED -> List.of(List.of("dcmdjpeg"));
        };
    }

    /** Seconds to decode every frame of every file (compressed frames read from the file as the volume reader does). */
    private static double decodeAll(CompressedSyntax syntax, List<Item> items) throws Exception {
        FrameDecoder decoder = syntax.decoder();
        short[] target = new short[0];
        long start = System.nanoTime();
        for (Item i : items) {
            if (target.length < i.spec().pixels()) target = new short[i.spec().pixels()];
            try (EncapsulatedFrames frames = EncapsulatedFrames.open(i.file(), i.pixelDataOffset(), i.frames())) {
                for (int f = 0; f < i.frames(); f++) decoder.decode(frames.frame(f), i.spec(), target, 0);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double runTool(List<String> tool, List<Item> items, Path target) throws IOException, InterruptedException {
        double total = 0;
        for (Item i : items) {
            List<String> command = new ArrayList<>(tool);
            command.add(i.file().toString());
            command.add(target.resolve(i.file().getFileName()).toString());
            total += time(command);
        }
        return total;
    }

    private static double time(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed with exit status " + p.exitValue());
        return (System.nanoTime() - start) / 1e9;
    }

    private static void row(CompressedSyntax syntax, String decoder, int files, long frames, long bytes, double seconds) {
        System.out.printf(Locale.ROOT, "%-28s %-40s %6d %7d %10.3f %9.3f %9.1f%n", syntax.title().length() > 28
                ? syntax.title().substring(0, 28) : syntax.title(), decoder, files, frames, bytes / 1e6, seconds, bytes / 1e6 / seconds);
    }

    /** Grey-scale images in an encapsulated syntax, by syntax (UIDs may be missing: nothing here needs them). */
    private Map<CompressedSyntax, List<Item>> scan() throws Exception {
        Map<CompressedSyntax, List<Item>> bySyntax = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            if (!DicomFileUtilities.isDicomOrAcrNemaFile(f.toFile())) continue;
            AttributeList l = new AttributeList();
            long end = l.read(f.toFile(), TagFromName.PixelData);
            var syntax = CompressedSyntax.ofUid(Attribute.getSingleStringValueOrEmptyString(l, TagFromName.TransferSyntaxUID));
            if (syntax.isEmpty() || l.get(TagFromName.PixelData) != null || end < 4) continue;
            FrameSpec spec = new FrameSpec(Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Rows, 0),
                    Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Columns, 0),
                    Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsAllocated, 16),
                    Attribute.getSingleIntegerValueOrDefault(l, TagFromName.PixelRepresentation, 0) == 1);
            int frames = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.NumberOfFrames, 1);
            bySyntax.computeIfAbsent(syntax.get(), k -> new ArrayList<>()).add(new Item(f, end - 4, spec, frames));
        }
        return bySyntax;
    }
}
