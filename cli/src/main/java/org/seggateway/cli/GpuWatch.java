package org.seggateway.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Samples one GPU's memory in use and utilisation every 100 ms through {@code nvidia-smi} while open (the device's
 * figures: other processes on it count too). Gives the peak memory and the mean utilisation of the samples.
 */
final class GpuWatch implements AutoCloseable {
    private final Process process;
    private final Thread reader;
    private volatile long peakMib;
    private volatile long samples, utilisationSum;

    private GpuWatch(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("gpu-watch").start(this::read);
    }

    /** Null when nvidia-smi is not there. */
    static GpuWatch start(int device) {
        Path smi = List.of("/usr/bin/nvidia-smi", "/usr/local/nvidia/bin/nvidia-smi", "/usr/local/bin/nvidia-smi").stream()
                .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        try {
            String exe = smi != null ? smi.toString() : "nvidia-smi";
            return new GpuWatch(new ProcessBuilder(exe, "--query-gpu=memory.used,utilization.gpu", "--format=csv,noheader,nounits",
                    "-i", Integer.toString(device), "-lms", "100").redirectErrorStream(true).start());
        } catch (IOException e) {
            return null;
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                if (f.length != 2) continue;
                try {
                    long mib = Long.parseLong(f[0].trim()), util = Long.parseLong(f[1].trim());
                    peakMib = Math.max(peakMib, mib);
                    utilisationSum += util;
                    samples++;
                } catch (NumberFormatException ignored) {
                    // a line that is no sample ([N/A], a warning)
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    long peakBytes() {
        return peakMib << 20;
    }

    double meanUtilisation() {
        return samples == 0 ? Double.NaN : (double) utilisationSum / samples;
    }

    long samples() {
        return samples;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        reader.join(2000);
    }
}
