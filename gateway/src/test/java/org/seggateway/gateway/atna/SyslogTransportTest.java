package org.seggateway.gateway.atna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three transports against a real rsyslogd: what send() reports as sent has arrived, parsed by rsyslog as RFC 5424. */
class SyslogTransportTest {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    @TempDir
    Path folder;

    @Test
    void tcpWithOctetCountingDeliversEachMessageWhole() throws Exception {
        try (RsyslogDaemon daemon = RsyslogDaemon.start(folder.resolve("rsyslog"));
             TcpSyslogTransport tcp = new TcpSyslogTransport("127.0.0.1", daemon.port(), TIMEOUT, null)) {
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 3; i++) sent.add(send(tcp, i, "<AuditMessage n=\"" + i + "\">" + "x".repeat(i * 3000) + "</AuditMessage>"));
            assertArrived(daemon, sent);
        }
    }

    @Test
    void tcpNeverReportsAMessageAsSentToAReceiverThatHasStopped() throws Exception {
        try (RsyslogDaemon daemon = RsyslogDaemon.start(folder.resolve("rsyslog"));
             TcpSyslogTransport tcp = new TcpSyslogTransport("127.0.0.1", daemon.port(), TIMEOUT, null)) {
            List<String> sent = new ArrayList<>();
            sent.add(send(tcp, 1, "<a/>"));
            assertArrived(daemon, sent);

            daemon.stop();
            // the connection is still open on our side; the message must not vanish into it
            assertThatThrownBy(() -> send(tcp, 2, "<b/>")).isInstanceOf(IOException.class);
            daemon.restart();
            sent.add(send(tcp, 2, "<b/>"));
            sent.add(send(tcp, 3, "<c/>"));
            assertArrived(daemon, sent);
        }
    }

    @Test
    void udpSendsOneMessagePerDatagram() throws Exception {
        try (RsyslogDaemon daemon = RsyslogDaemon.start(folder.resolve("rsyslog"));
             UdpSyslogTransport udp = new UdpSyslogTransport("127.0.0.1", daemon.port())) {
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 3; i++) sent.add(send(udp, i, "<AuditMessage n=\"" + i + "\"/>"));
            assertArrived(daemon, sent);
        }
    }

    @Test
    void tlsDeliversToAReceiverWhoseCertificateIsTrustedAndNamesTheHost() throws Exception {
        Path pki = folder.resolve("pki");
        java.nio.file.Files.createDirectories(pki);
        run(pki, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2",
                "-subj", "/CN=syslog-test", "-addext", "subjectAltName=IP:127.0.0.1");
        try (RsyslogDaemon daemon = RsyslogDaemon.start(folder.resolve("rsyslog"),
                new RsyslogDaemon.Tls(pki.resolve("cert.pem"), pki.resolve("cert.pem"), pki.resolve("key.pem")));
             TcpSyslogTransport tls = new TcpSyslogTransport("127.0.0.1", daemon.port(), TIMEOUT, trusting(pki.resolve("cert.pem")))) {
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 2; i++) sent.add(send(tls, i, "<AuditMessage n=\"" + i + "\"/>"));
            assertArrived(daemon, sent);

            // a receiver this gateway does not trust gets nothing
            try (TcpSyslogTransport untrusting = new TcpSyslogTransport("127.0.0.1", daemon.port(), TIMEOUT,
                    SSLContext.getDefault().getSocketFactory())) {
                assertThatThrownBy(() -> send(untrusting, 3, "<c/>")).isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    private static String send(SyslogTransport transport, int id, String xml) throws IOException {
        byte[] message = SyslogMessage.format(10, 5, Instant.now(), "gw", "seg-gateway", 1,
                SyslogMessage.element("seg-audit@32473", "rowId", Integer.toString(id)), xml.getBytes(StandardCharsets.UTF_8));
        transport.send(message);
        return new String(message, StandardCharsets.UTF_8);
    }

    private static void assertArrived(RsyslogDaemon daemon, List<String> sent) throws Exception {
        List<RsyslogDaemon.Line> lines = daemon.awaitLines(sent.size(), 10_000);
        assertThat(lines).extracting(RsyslogDaemon.Line::raw).containsExactlyElementsOf(sent);
        for (RsyslogDaemon.Line line : lines) {
            assertThat(line.protocolVersion()).as("rsyslog read it as RFC 5424").isEqualTo("1");
            assertThat(line.appName()).isEqualTo("seg-gateway");
            assertThat(line.msgId()).isEqualTo(SyslogMessage.MSGID);
            assertThat(line.structuredData()).startsWith("[seg-audit@32473 rowId=");
            assertThat(Rfc5424.parse(line.raw()).msg()).startsWith("<");
        }
    }

    private static SSLSocketFactory trusting(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(certificate)) {
            store.setCertificateEntry("receiver", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    static void run(Path directory, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
