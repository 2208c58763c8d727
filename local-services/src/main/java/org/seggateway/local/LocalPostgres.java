package org.seggateway.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A private PostgreSQL server: {@code initdb} once into a data folder, then {@code postgres} as a child process on
 * a free loopback port (no Unix socket), password login only, superuser {@code seggateway} with a random password.
 * Runs as {@link ServerUser#forThisProcess()}: this user, or an unprivileged one when this JVM is root, in which
 * case the server folder must be reachable by that user; {@link #start} moves it to a fresh temporary folder when
 * the given one is not (for example below {@code /root}, or in a JUnit temporary folder), deleted at {@link #close()}.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String SUPERUSER = "seggateway";

    private final Path directory;
    private final PostgresBinaries binaries;
    private final ServerUser user;
    private final String password;
    private final boolean temporary;
    private int port;
    private Process process;

    private LocalPostgres(Path directory, PostgresBinaries binaries, ServerUser user, String password, boolean temporary) {
        this.directory = directory;
        this.temporary = temporary;
        this.binaries = binaries;
        this.user = user;
        this.password = password;
    }

    /** Initialises {@code directory/data} unless an earlier run did, starts the server and returns once it answers. */
    public static LocalPostgres start(Path directory, PostgresBinaries binaries) throws IOException {
        ServerUser user = ServerUser.forThisProcess();
        Path dir = directory.toAbsolutePath();
        boolean temporary = !user.canReach(dir);
        if (temporary) dir = Files.createTempDirectory("seg-gateway-postgres-");
        Files.createDirectories(dir);
        user.own(dir);
        LocalPostgres server = new LocalPostgres(dir, binaries, user, passwordOf(dir), temporary);
        server.initIfNeeded();
        server.startProcess();
        return server;
    }

    /** The superuser's login to database {@code name} on this server. */
    public PostgresDatabase database(String name) {
        return new PostgresDatabase("jdbc:postgresql://127.0.0.1:" + port + "/postgres", SUPERUSER, password).withDatabase(name);
    }

    public int port() {
        return port;
    }

    /** Server folder: {@code data/} and {@code postgres.log}; differs from the one asked for when that was unreachable. */
    public Path directory() {
        return directory;
    }

    public PostgresBinaries binaries() {
        return binaries;
    }

    public ServerUser user() {
        return user;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The server process (its backends are its descendants). */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    /** Starts the server again on the same data (after {@link #stop()} or {@link #kill()}), on a new free port. */
    public void startProcess() throws IOException {
        port = FreePorts.next();
        List<String> command = user.command(List.of(binaries.bin().resolve("postgres").toString(),
                "-D", data().toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "logging_collector=off"));
        process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("postgres.log").toFile())).start();
        try {
            awaitReady(Duration.ofSeconds(60));
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly(); // a server that never answered must not outlive the caller
            throw e;
        }
    }

    /** Smart shutdown (SIGTERM: ends once clients have left), then the hard way after 20 s. */
    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) kill();
    }

    /**
     * SIGKILL to the server and its backends, as a crash would; the next start recovers from the write-ahead log.
     * The backends go too: left alone they linger a moment, holding the shared memory a new server needs.
     */
    public void kill() throws InterruptedException {
        if (process == null) return;
        List<ProcessHandle> backends = process.descendants().toList();
        process.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle backend : backends) {
            try {
                backend.onExit().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // gone already, or stuck: the new server says so in its log
            }
        }
    }

    /**
     * SIGSTOP to the server and its backends: connections stay open and nothing answers, as on a frozen virtual machine
     * or a stalled disk. {@link #resume()} lets it go on where it stopped.
     */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (!isAlive()) throw new IllegalStateException("the PostgreSQL server is not running");
        List<String> command = new ArrayList<>(List.of("kill", "-" + name, Long.toString(process.pid())));
        process.descendants().forEach(p -> command.add(Long.toString(p.pid())));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0)
            throw new IOException("kill -" + name + " of the PostgreSQL server failed: " + new String(kill.getInputStream().readAllBytes()));
    }

    /** Stops the server; a temporary folder chosen by {@link #start} goes with it. */
    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        if (temporary && !isAlive()) PostgresBinaries.deleteTree(directory);
    }

    private Path data() {
        return directory.resolve("data");
    }

    private void initIfNeeded() throws IOException {
        if (Files.exists(data().resolve("PG_VERSION"))) return;
        Path passwordFile = directory.resolve("initdb.pw");
        Files.writeString(passwordFile, password + "\n");
        user.own(passwordFile);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("r--------"));
        try {
            Path log = directory.resolve("initdb.log");
            List<String> command = user.command(List.of(binaries.bin().resolve("initdb").toString(), "-D", data().toString(),
                    "-U", SUPERUSER, "--pwfile=" + passwordFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"));
            Process p = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new IOException("initdb failed for " + data() + " (running as " + user + "); see " + log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during initdb", e);
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        PostgresDatabase admin = database("postgres");
        Optional<String> problem = Optional.of("not started");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IOException("PostgreSQL exited with " + process.exitValue() + ": " + logTail() + " (" + directory.resolve("postgres.log") + ")");
            problem = admin.problem();
            if (problem.isEmpty()) return;
            sleep(200);
        }
        throw new IOException("PostgreSQL did not answer within " + timeout + " (" + problem.get() + "); see "
                + directory.resolve("postgres.log"));
    }

    /** The last lines of the server log, for an error message (a temporary server folder is gone afterwards). */
    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("postgres.log"));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "no log";
        }
    }

    /** The superuser password, kept beside the data (owner-only) so that a restart on the same data can log in. */
    private static String passwordOf(Path directory) throws IOException {
        Path file = directory.resolve("superuser.pw");
        if (Files.exists(file)) return Files.readString(file).strip();
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Files.writeString(file, password);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return password;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
