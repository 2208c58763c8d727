package org.seggateway.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A program this CLI started, its output in a log file; {@link #close()} sends SIGTERM, then SIGKILL after the grace time. */
record ChildProcess(String name, Process process, Path log, Duration grace) implements AutoCloseable {

    /** Starts {@code command} in {@code workDir} with extra environment variables. */
    static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> environment, Path log,
                              Duration grace) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(environment);
        return new ChildProcess(name, pb.start(), log, grace);
    }

    /** Throws naming this program and its log when it has ended. */
    void checkAlive() {
        if (!process.isAlive())
            throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) return;
        kill();
    }

    /** SIGKILL to the program and its children, as a crash. */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
