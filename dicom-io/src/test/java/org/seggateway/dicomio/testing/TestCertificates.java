package org.seggateway.dicomio.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Self-signed test certificates made at test time with {@code openssl} and the JDK's {@code keytool}: nothing private
 * is committed. Each party gets a PEM key and certificate (for DCMTK and Orthanc) and a PKCS12 key store (for us).
 */
public final class TestCertificates {
    public static final String PASSWORD = "secret";

    private TestCertificates() {}

    /** One party's files; the certificate names 127.0.0.1 and localhost as subject alternative names. */
    public record Party(Path key, Path certificate, Path keyStore) {}

    public static Party create(Path directory, String name) throws IOException, InterruptedException {
        Path key = directory.resolve(name + ".key");
        Path cert = directory.resolve(name + ".pem");
        Path p12 = directory.resolve(name + ".p12");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(), "-out", cert.toString());
        run("openssl", "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-out", p12.toString(),
                "-passout", "pass:" + PASSWORD);
        return new Party(key, cert, p12);
    }

    /** A PKCS12 trust store holding the certificates of {@code trusted}. */
    public static Path trustStore(Path file, Party... trusted) throws IOException, InterruptedException {
        for (Party p : trusted)
            run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                    "-alias", p.certificate().getFileName().toString(), "-file", p.certificate().toString(),
                    "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return file;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Dcmtk.Result r = Dcmtk.run(Duration.ofSeconds(60), List.of(command));
        if (r.exitCode() != 0) throw new IOException(String.join(" ", command) + " failed:\n" + r.output());
    }
}
