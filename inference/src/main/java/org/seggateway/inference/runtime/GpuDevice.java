package org.seggateway.inference.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A GPU as {@code nvidia-smi} reports it: index, name, memory total and free (bytes) and the driver's version.
 * Free memory is the device's, other processes' use included, read when asked.
 */
public record GpuDevice(int index, String name, long totalBytes, long freeBytes, String driver) {

    static final String QUERY = "index,name,memory.total,memory.free,driver_version";

    /** The device's figures now; empty when nvidia-smi is not there or does not answer. */
    public static Optional<GpuDevice> query(int index) {
        Optional<Path> smi = nvidiaSmi();
        if (smi.isEmpty()) return Optional.empty();
        List<String> lines = run(List.of(smi.get().toString(), "--query-gpu=" + QUERY, "--format=csv,noheader,nounits", "-i",
                Integer.toString(index)));
        return lines.isEmpty() ? Optional.empty() : Optional.ofNullable(parse(lines.get(0)));
    }

    /** One line of {@code --query-gpu=index,name,memory.total,memory.free,driver_version --format=csv,noheader,nounits}. */
    static GpuDevice parse(String line) {
        String[] f = line.split(",");
        if (f.length < 5) return null;
        try {
            int n = f.length;
            // a name with commas in it: everything between the index and the last three fields
            String name = String.join(",", java.util.Arrays.copyOfRange(f, 1, n - 3)).trim();
            return new GpuDevice(Integer.parseInt(f[0].trim()), name, mib(f[n - 3]), mib(f[n - 2]), f[n - 1].trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long mib(String s) {
        return Long.parseLong(s.trim()) << 20;
    }

    static Optional<Path> nvidiaSmi() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) for (String d : path.split(":")) if (!d.isBlank()) candidates.add(Path.of(d, "nvidia-smi"));
        candidates.add(Path.of("/usr/bin/nvidia-smi"));
        candidates.add(Path.of("/usr/local/nvidia/bin/nvidia-smi"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    static List<String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            return p.exitValue() == 0 ? out.lines().filter(l -> !l.isBlank()).toList() : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    public String summary() {
        return String.format(Locale.ROOT, "GPU %d %s, %.1f GiB (%.1f GiB free), driver %s", index, name, totalBytes / GIB,
                freeBytes / GIB, driver);
    }

    private static final double GIB = 1L << 30;
}
