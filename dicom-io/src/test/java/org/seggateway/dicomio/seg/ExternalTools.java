package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real validators the SEG tests run: dicom3tools {@code dciodvfy}, DCMTK {@code dcmdump} and Debian's
 * python3 with pydicom and numpy. All are installed by scripts/setup.sh; a missing tool fails the test.
 */
final class ExternalTools {
    private ExternalTools() {}

    record Run(int exitCode, String output) {}

    /** What dciodvfy said about a file: its "Error" and "Warning" lines. */
    record Verdict(List<String> errors, List<String> warnings, String output) {}

    static Verdict dciodvfy(Path file) {
        Run run = run(List.of(tool("dciodvfy"), file.toString()));
        List<String> errors = new ArrayList<>(), warnings = new ArrayList<>();
        for (String line : run.output().split("\n")) {
            if (line.startsWith("Error")) errors.add(line);
            else if (line.startsWith("Warning")) warnings.add(line);
        }
        return new Verdict(errors, warnings, run.output());
    }

    static Run dcmdump(Path file) {
        return run(List.of(tool("dcmdump"), "+M", file.toString()));
    }

    static Run python(Path script, String... args) {
        List<String> command = new ArrayList<>(List.of(python(), script.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Debian's interpreter, where python3-pydicom lives (a pyenv shim on PATH may lack it). */
    static String python() {
        String configured = System.getProperty("seggateway.python");
        if (configured != null) return configured;
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : tool("python3");
    }

    static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        return fail(name + " not found on PATH: run scripts/setup.sh (installs dcmtk, dicom3tools, python3-pydicom)");
    }

    static Run run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return fail("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted: " + command);
        }
    }
}
