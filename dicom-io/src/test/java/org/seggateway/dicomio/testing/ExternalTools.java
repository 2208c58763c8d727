package org.seggateway.dicomio.testing;

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
 * The real validators tests run: dicom3tools {@code dciodvfy}, DCMTK {@code dcmdump} and Debian's python3 with
 * pydicom and numpy. All are installed by scripts/setup.sh; a missing tool fails the test.
 */
public final class ExternalTools {
    private ExternalTools() {}

    public record Run(int exitCode, String output) {}

    /** What dciodvfy said about a file: its "Error" and "Warning" lines. */
    public record Verdict(List<String> errors, List<String> warnings, String output) {}

    public static Verdict dciodvfy(Path file) {
        Run run = run(List.of(tool("dciodvfy"), file.toString()));
        List<String> errors = new ArrayList<>(), warnings = new ArrayList<>();
        for (String line : run.output().split("\n")) {
            if (line.startsWith("Error")) errors.add(line);
            else if (line.startsWith("Warning")) warnings.add(line);
        }
        return new Verdict(errors, warnings, run.output());
    }

    /** dciodvfy: no "Error" line; its "Warning" lines are printed (tagged with {@code name}) and returned. */
    public static List<String> assertDciodvfyHasNoError(Path file, String name) {
        Verdict verdict = dciodvfy(file);
        System.out.printf("[%s] dciodvfy: %d errors, %d warnings%n", name, verdict.errors().size(), verdict.warnings().size());
        verdict.warnings().forEach(w -> System.out.println("[" + name + "] dciodvfy " + w));
        assertThat(verdict.errors()).as("dciodvfy errors:\n%s", verdict.output()).isEmpty();
        return verdict.warnings();
    }

    public static Run dcmdump(Path file) {
        return run(List.of(tool("dcmdump"), "+M", file.toString()));
    }

    /** Debian's python3 with {@code args} (a script path and its arguments, or {@code -c} and code). */
    public static Run python(String... args) {
        List<String> command = new ArrayList<>(List.of(python()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Debian's interpreter, where python3-pydicom lives (a pyenv shim on PATH may lack it). */
    public static String python() {
        String configured = System.getProperty("seggateway.python");
        if (configured != null) return configured;
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : tool("python3");
    }

    public static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        return fail(name + " not found on PATH: run scripts/setup.sh (installs dcmtk, dicom3tools, python3-pydicom)");
    }

    public static Run run(List<String> command) {
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
