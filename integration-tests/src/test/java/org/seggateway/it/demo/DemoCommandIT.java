package org.seggateway.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.header.DicomHeader;

/**
 * {@code bin/seg-gateway demo} end to end, as a user runs it (built by Maven before this module's tests: cli and the
 * gateway application): it exits 0 with a DICOM SEG at the stand-in PACS that references the sent sample series and
 * passes dciodvfy, and nothing it started still listens afterwards.
 */
class DemoCommandIT {
    static final Path PROJECT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    @TempDir
    Path work;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void sendsTheSampleAndGetsItsSegBackThenStopsEverything() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(PROJECT.resolve("bin/seg-gateway").toString(), "demo",
                "--work", work.toString(), "--timeout", "300"))
                .directory(PROJECT.toFile()).redirectErrorStream(true);
        pb.environment().put("SEG_GATEWAY_NO_BUILD", "1");   // Maven built cli and gateway before this module
        Process demo = pb.start();
        String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(demo.exitValue()).as(output).isZero();

        Path seg = Path.of(find(output, "SEG stored at +(\\S+)"));
        assertThat(seg).exists().startsWith(work.resolve("pacs"));
        DicomHeader header = DicomHeader.read(seg);
        assertThat(header.string("SOPClassUID")).isEqualTo("1.2.840.10008.5.1.4.1.1.66.4");
        assertThat(header.string("SOPInstanceUID")).isEqualTo(find(output, "SOP Instance +(\\S+)"));
        assertThat(Integer.parseInt(header.string("NumberOfFrames"))).isEqualTo(Integer.parseInt(find(output, "frames +(\\d+)")))
                .isPositive();
        String sourceSeries = find(output, "source series +(\\S+)");
        assertThat(run("dcmdump", seg.toString())).as("the SEG references the sent series").contains("[" + sourceSeries + "]");
        assertThat(run("dciodvfy", seg.toString())).doesNotContain("Error");
        assertThat(output).contains("wait for the SEG", "total");

        for (String port : List.of(find(output, "DICOM SEGGATEWAY@127\\.0\\.0\\.1:(\\d+)"), find(output, "HTTP 127\\.0\\.0\\.1:(\\d+)"),
                find(output, "broker 127\\.0\\.0\\.1:(\\d+)")))
            assertThat(listening(Integer.parseInt(port))).as("port " + port + " still answers after the demo").isFalse();
    }

    private static String find(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        assertThat(m.find()).as("'" + regex + "' in the demo's output:\n" + output).isTrue();
        return m.group(1);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
