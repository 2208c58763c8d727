package org.seggateway.gateway.atna;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real syslog receiver for the tests: Debian's {@code rsyslogd} in the foreground ({@code -n}) with its own
 * configuration, listening on loopback on one free port by TCP (imtcp, octet counting) and UDP (imudp), or by TLS
 * (imtcp with the OpenSSL stream driver) when given a certificate, writing each message as one line of
 * {@code protocol-version TAB app-name TAB msgid TAB structured-data TAB raw message}: the first four are rsyslog's
 * own RFC 5424 parse, the last is the message as received.
 */
public final class RsyslogDaemon implements AutoCloseable {
    public static final String RSYSLOGD = "/usr/sbin/rsyslogd";

    private final Path folder;
    private final Path config;
    private final Path output;
    private final int port;
    private Process process;

    /** One received message: rsyslog's parse of its header, and the bytes after the frame. */
    public record Line(String protocolVersion, String appName, String msgId, String structuredData, String raw) {
    }

    private RsyslogDaemon(Path folder, int port, Tls tls) throws IOException {
        this.folder = folder;
        this.port = port;
        this.config = folder.resolve("rsyslog.conf");
        this.output = folder.resolve("received.log");
        String tcp = tls == null ? "module(load=\"imtcp\")\n" : """
                global(defaultNetstreamDriver="ossl" defaultNetstreamDriverCAFile="%s" defaultNetstreamDriverCertFile="%s"
                       defaultNetstreamDriverKeyFile="%s")
                module(load="imtcp" streamDriver.name="ossl" streamDriver.mode="1" streamDriver.authMode="anon")
                """.formatted(tls.caFile(), tls.certFile(), tls.keyFile());
        Files.writeString(config, """
                global(workDirectory="%s" maxMessageSize="64k")
                %s
                input(type="imtcp" address="127.0.0.1" port="%d")
                module(load="imudp")
                input(type="imudp" address="127.0.0.1" port="%d")
                template(name="fields" type="string"
                         string="%%protocol-version%%\\t%%app-name%%\\t%%msgid%%\\t%%structured-data%%\\t%%rawmsg%%\\n")
                action(type="omfile" file="%s" template="fields")
                """.formatted(folder, tcp, port, port, output));
    }

    /** The PEM files of a TLS receiver. */
    public record Tls(Path caFile, Path certFile, Path keyFile) {
    }

    public static RsyslogDaemon start(Path folder) throws IOException, InterruptedException {
        return start(folder, null);
    }

    public static RsyslogDaemon start(Path folder, Tls tls) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        RsyslogDaemon daemon = new RsyslogDaemon(folder, freePort(), tls);
        daemon.restart();
        return daemon;
    }

    public int port() {
        return port;
    }

    /** Starts the daemon (again, after {@link #stop()}), appending to the same output; returns once it accepts TCP. */
    public void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) throw new IllegalStateException("rsyslogd is running");
        process = new ProcessBuilder(RSYSLOGD, "-n", "-f", config.toString(), "-i", folder.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("rsyslogd.out").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IOException("rsyslogd exited with " + process.exitValue() + ": " + Files.readString(folder.resolve("rsyslogd.out")));
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("rsyslogd does not listen on " + port + " within 20 s");
    }

    /** SIGTERM, as a service manager stops it; waits until it has gone. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        process = null;
    }

    /** Every message received so far. */
    public List<Line> lines() throws IOException {
        List<Line> lines = new ArrayList<>();
        if (!Files.exists(output)) return lines;
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", 5);
            if (f.length == 5) lines.add(new Line(f[0], f[1], f[2], f[3], f[4]));
        }
        return lines;
    }

    /** Waits until at least {@code count} messages have been received; returns all of them. */
    public List<Line> awaitLines(int count, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<Line> lines = lines();
        while (lines.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            lines = lines();
        }
        return lines;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** A port free for both TCP and UDP on loopback. */
    private static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }
}
