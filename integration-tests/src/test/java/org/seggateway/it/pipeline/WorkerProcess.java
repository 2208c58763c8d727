package org.seggateway.it.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seggateway.local.ChildJava;

/** A {@link WorkerMain} child JVM on the test class path, with its output in a log file. */
public final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static WorkerProcess start(String bootstrapServers, String workerId, Duration delay, Path log) throws IOException {
        return start(log, bootstrapServers, workerId, Long.toString(delay.toMillis()));
    }

    /** A worker whose runner dies ({@code kill} or {@code oom}, see {@link PoisonRunner}) on volumes {@code width} wide. */
    public static WorkerProcess poisoned(String bootstrapServers, String workerId, String mode, int width, Path log) throws IOException {
        return start(log, bootstrapServers, workerId, "0", mode, Integer.toString(width));
    }

    private static WorkerProcess start(Path log, String... arguments) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new java.util.ArrayList<>(List.of(ChildJava.executable(), "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                ChildJava.classPath(), WorkerMain.class.getName()));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new WorkerProcess(p, log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, once the worker has ended within {@code timeout}; null while it runs. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** Waits until the worker's runner has taken a job; returns the job id. */
    public String awaitJobStarted(Duration timeout) throws IOException, InterruptedException {
        Pattern started = Pattern.compile(Pattern.quote(ThresholdRunner.STARTED) + "(\\S+)");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = started.matcher(Files.readString(log));
            if (m.find()) return m.group(1);
            if (!process.isAlive()) throw new IOException("worker exited with " + process.exitValue() + "; log " + log + ":\n" + Files.readString(log));
            Thread.sleep(100);
        }
        throw new IOException("worker took no job within " + timeout + "; log " + log + ":\n" + Files.readString(log));
    }

    /** SIGKILL: the worker dies holding whatever it holds; nothing of it is committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) kill();
    }
}
