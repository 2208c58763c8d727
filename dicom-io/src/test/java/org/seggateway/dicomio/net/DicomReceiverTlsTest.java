package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;

/** {@link DicomReceiver} with DICOM TLS against DCMTK {@code echoscu}/{@code storescu} {@code +tls}. */
class DicomReceiverTlsTest {

    @TempDir
    static Path keys;
    static SyntheticSeries.Written series;
    static Path serverKeyStore, clientTrustStore, serverCert, clientKey, clientCert;

    @TempDir
    Path work;

    final AtomicInteger stored = new AtomicInteger();

    @BeforeAll
    static void makeKeysAndSeries() throws Exception {
        series = SyntheticSeries.ct().size(32, 32, 3).write(keys.resolve("ct"));
        serverCert = keys.resolve("server.pem");
        clientCert = keys.resolve("client.pem");
        clientKey = keys.resolve("client.key");
        Path serverKey = keys.resolve("server.key");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=gateway",
                "-keyout", serverKey.toString(), "-out", serverCert.toString());
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=ct01",
                "-keyout", clientKey.toString(), "-out", clientCert.toString());
        serverKeyStore = keys.resolve("server.p12");
        run("openssl", "pkcs12", "-export", "-in", serverCert.toString(), "-inkey", serverKey.toString(),
                "-out", serverKeyStore.toString(), "-passout", "pass:secret");
        clientTrustStore = keys.resolve("callers.p12");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                "-alias", "ct01", "-file", clientCert.toString(), "-keystore", clientTrustStore.toString(),
                "-storetype", "PKCS12", "-storepass", "secret");
    }

    private DicomReceiver start(ReceiverTls tls) throws IOException {
        return DicomReceiver.start(ReceiverConfig.defaults("GATEWAY", work.resolve("incoming")).withTls(tls),
                instance -> {
                    stored.incrementAndGet();
                    Files.delete(instance.file());
                }, AssociationListener.NONE);
    }

    @Test
    void storescuOverTlsIsServedAndAPlainConnectionIsNot() throws Exception {
        try (DicomReceiver scp = start(new ReceiverTls(serverKeyStore, "secret", null, null, false))) {
            Dcmtk.Result tls = dcmtk("storescu", scp.port(), List.of("+tla", "+cf", serverCert.toString()),
                    series.files());
            assertThat(tls.exitCode()).as(tls.output()).isZero();
            assertThat(stored).hasValue(3);
            Dcmtk.Result plain = Dcmtk.echoscu("MODALITY", "GATEWAY", scp.port());
            assertThat(plain.exitCode()).isNotZero();
            Dcmtk.Result again = dcmtk("echoscu", scp.port(), List.of("+tla", "+cf", serverCert.toString()),
                    List.of());
            assertThat(again.exitCode()).as(again.output()).isZero();
        }
    }

    @Test
    void whenAClientCertificateIsRequiredOnlyATrustedOneGetsIn() throws Exception {
        try (DicomReceiver scp = start(new ReceiverTls(serverKeyStore, "secret", clientTrustStore, "secret", true))) {
            Dcmtk.Result anonymous = dcmtk("echoscu", scp.port(), List.of("+tla", "+cf", serverCert.toString()),
                    List.of());
            assertThat(anonymous.exitCode()).isNotZero();
            Dcmtk.Result withCertificate = dcmtk("echoscu", scp.port(), List.of("+tls", clientKey.toString(),
                    clientCert.toString(), "+cf", serverCert.toString()), List.of());
            assertThat(withCertificate.exitCode()).as(withCertificate.output()).isZero();
        }
    }

    @Test
    void aTls11ClientIsRefusedInTheHandshakeWhereTls12AndTls13GetIn() throws Exception {
        try (DicomReceiver scp = start(new ReceiverTls(serverKeyStore, "secret", null, null, false))) {
            // SECLEVEL=0 lets OpenSSL 3 offer TLS 1.1 at all: the refusal must come from our side
            String tls11 = sClient(scp.port(), "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
            assertThat(tls11).contains("alert protocol version", "Cipher is (NONE)");
            assertThat(sClient(scp.port(), "-tls1_2")).contains("Protocol  : TLSv1.2").doesNotContain("Cipher is (NONE)");
            assertThat(sClient(scp.port(), "-tls1_3")).contains("New, TLSv1.3, Cipher is TLS_");
        }
    }

    /** {@code openssl s_client} handshake with stdin closed; its output. */
    private static String sClient(int port, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        cmd.addAll(List.of(options));
        Path out = Files.createTempFile("s_client", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("s_client finished").isTrue();
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Dcmtk.Result dcmtk(String tool, int port, List<String> tlsOptions, List<Path> files)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool, "-aet", "MODALITY", "-aec", "GATEWAY"));
        cmd.addAll(tlsOptions);
        cmd.addAll(List.of("127.0.0.1", Integer.toString(port)));
        files.forEach(f -> cmd.add(f.toString()));
        return Dcmtk.run(Duration.ofSeconds(60), cmd);
    }

    private static void run(String... command) throws Exception {
        Dcmtk.Result r = Dcmtk.run(Duration.ofSeconds(60), List.of(command));
        assertThat(r.exitCode()).as(String.join(" ", command) + "\n" + r.output()).isZero();
    }
}
