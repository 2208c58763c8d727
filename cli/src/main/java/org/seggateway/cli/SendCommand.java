package org.seggateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreOutcome;
import org.seggateway.dicomio.net.StoreResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Sends every DICOM Part 10 file under DIR (recursively) by C-STORE over one association.",
                "Prints each file the peer did not store (with its DICOM status) to stderr and a summary (files, MB, "
                + "MB/s) to stdout. Exit status: 0 all stored, 1 some files not stored, 2 nothing to send or no "
                + "association."})
final class SendCommand implements Callable<Integer> {
    private static final byte[] DICM = "DICM".getBytes(StandardCharsets.US_ASCII);

    @Parameters(paramLabel = "DIR", description = "folder searched recursively for DICOM files")
    Path directory;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", description = "the receiving DICOM node")
    String to;

    @Option(names = "--aet", required = true, paramLabel = "AET", description = "the receiver's (called) AE title")
    String calledAeTitle;

    @Option(names = "--calling-aet", paramLabel = "AET", defaultValue = "SEGGATEWAY",
            description = "our (calling) AE title (default: ${DEFAULT-VALUE})")
    String callingAeTitle;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        RemoteAe peer = peer(to, calledAeTitle);
        List<Path> files = new ArrayList<>();
        int skipped = 0;
        if (!Files.isDirectory(directory)) throw new IOException("not a folder: " + directory);
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                if (isPart10(f)) files.add(f);
                else skipped++;
            }
        }
        if (skipped > 0) err.println("skipped " + skipped + " file(s) that are not DICOM Part 10 files");
        if (files.isEmpty()) {
            err.println("error: no DICOM files in " + directory);
            err.flush();
            return 2;
        }

        long start = System.nanoTime();
        StoreResult result = new DicomSender(callingAeTitle).store(peer, files);
        double seconds = (System.nanoTime() - start) / 1e9;

        long bytes = 0;
        for (StoreOutcome o : result.outcomes()) {
            if (o.stored()) {
                bytes += Files.size(o.file());
                if (DimseStatus.isWarning(o.status()))
                    err.println("warning: " + describe(o));
            } else {
                err.println("failed: " + describe(o));
            }
        }
        double mb = bytes / 1e6;
        out.println(String.format(Locale.ROOT, "sent %d of %d files to %s: %.1f MB in %.2f s, %.1f MB/s",
                result.storedCount(), files.size(), peer, mb, seconds, seconds > 0 ? mb / seconds : 0.0));
        int failed = result.failures().size();
        if (failed > 0) out.println(failed + " file(s) not stored");
        out.flush();
        err.flush();
        return failed == 0 ? 0 : 1;
    }

    private static String describe(StoreOutcome o) {
        return o.file() + (o.sopInstanceUid().isEmpty() ? "" : " (" + o.sopInstanceUid() + ")") + ": "
                + (o.status() == DimseStatus.NO_RESPONSE ? "no response" : DimseStatus.toHex(o.status()))
                + (o.error().isEmpty() ? "" : " " + o.error());
    }

    static RemoteAe peer(String hostPort, String aeTitle) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1)
            throw new IllegalArgumentException("--to must be HOST:PORT, got '" + hostPort + "'");
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--to port is not a number: '" + hostPort + "'");
        }
        return new RemoteAe(host, port, aeTitle);
    }

    /** A Part 10 file: 128 bytes of preamble, then "DICM". */
    private static boolean isPart10(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && Arrays.equals(head, 128, 132, DICM, 0, 4);
        } catch (IOException e) {
            return false;
        }
    }
}
