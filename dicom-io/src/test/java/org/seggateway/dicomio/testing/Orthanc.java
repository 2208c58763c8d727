package org.seggateway.dicomio.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real Orthanc (Debian package orthanc, {@code /usr/sbin/Orthanc}) for tests: a temporary JSON configuration in
 * {@code workDirectory} with loopback-only DICOM and HTTP ports, its own storage and index, no plugins (or only the
 * DICOMweb one: {@link #startWithDicomWeb}), and the given
 * DICOM modalities (AE title to host/port) as C-MOVE destinations. Started with {@code TCP_NODELAY=1} (Orthanc links
 * DCMTK, which otherwise leaves Nagle on). {@link #close()} kills it; {@link #stop()} and {@link #restart()} take it
 * down and bring it back on the same ports and storage, as a PACS that is down for a while.
 */
public final class Orthanc implements AutoCloseable {

    public static final String AE_TITLE = "ORTHANC";
    private static final String EXECUTABLE = "/usr/sbin/Orthanc";

    private final int dicomPort;
    private final int httpPort;
    private final Path configFile;
    private final Path log;
    private PeerProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Orthanc(int dicomPort, int httpPort, Path configFile, Path log) {
        this.dicomPort = dicomPort;
        this.httpPort = httpPort;
        this.configFile = configFile;
        this.log = log;
    }

    /** A modality Orthanc may send to (C-MOVE destination). */
    public record Modality(String aeTitle, String host, int port) {}

    /** Debian's orthanc-dicomweb plugin (scripts/setup.sh installs it). */
    public static final Path DICOMWEB_PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
    /** Root of the DICOMweb API of an Orthanc started {@link #startWithDicomWeb with the plugin}. */
    public static final String DICOMWEB_ROOT = "/dicom-web/";

    public static Orthanc start(Path workDirectory, List<Modality> modalities) throws IOException, InterruptedException {
        return start(workDirectory, modalities, false, "");
    }

    /** As {@link #start(Path, List)}, with further top-level JSON members ({@code "Key" : value,} lines), e.g. DICOM TLS. */
    public static Orthanc start(Path workDirectory, List<Modality> modalities, String extraConfig)
            throws IOException, InterruptedException {
        return start(workDirectory, modalities, false, extraConfig);
    }

    /** As {@link #start}, with the DICOMweb plugin loaded (QIDO-RS, WADO-RS, STOW-RS under {@value #DICOMWEB_ROOT}). */
    public static Orthanc startWithDicomWeb(Path workDirectory, List<Modality> modalities) throws IOException, InterruptedException {
        if (!Files.isRegularFile(DICOMWEB_PLUGIN))
            throw new IllegalStateException(DICOMWEB_PLUGIN + " is missing: apt-get install orthanc-dicomweb (scripts/setup.sh)");
        return start(workDirectory, modalities, true, "");
    }

    private static Orthanc start(Path workDirectory, List<Modality> modalities, boolean dicomWeb, String extraConfig)
            throws IOException, InterruptedException {
        Path storage = Files.createDirectories(workDirectory.resolve("storage"));
        int dicomPort = PeerProcess.freePort();
        int httpPort = PeerProcess.freePort();
        String modalityJson = modalities.stream()
                .map(m -> String.format(Locale.ROOT, "    \"%s\" : [ \"%s\", \"%s\", %d ]", m.aeTitle().toLowerCase(Locale.ROOT),
                        m.aeTitle(), m.host(), m.port()))
                .collect(Collectors.joining(",\n"));
        String config = """
                {
                  "Name" : "seg-gateway-test",
                  "StorageDirectory" : "%s",
                  "IndexDirectory" : "%s",
                  "StorageCompression" : false,
                  "Plugins" : [ %s ],
                  "DicomWeb" : { "Enable" : %s, "Root" : "%s" },
                  "HttpServerEnabled" : true,
                  "HttpPort" : %d,
                  "RemoteAccessAllowed" : false,
                  "AuthenticationEnabled" : false,
                  "DicomServerEnabled" : true,
                  "DicomAet" : "%s",
                  "DicomPort" : %d,
                  "DicomCheckCalledAet" : true,
                  "DicomAlwaysAllowEcho" : true,
                  "DicomAlwaysAllowStore" : true,
                  "DicomAlwaysAllowFind" : true,
                  "DicomAlwaysAllowMove" : true,
                  "DicomModalities" : {
                %s
                  },
                  %s
                  "SaveJobs" : false,
                  "HttpDescribeErrors" : true
                }
                """.formatted(storage, storage, dicomWeb ? "\"" + DICOMWEB_PLUGIN + "\"" : "", dicomWeb, DICOMWEB_ROOT,
                httpPort, AE_TITLE, dicomPort, modalityJson, extraConfig);
        Path configFile = workDirectory.resolve("orthanc.json");
        Files.writeString(configFile, config);
        Orthanc orthanc = new Orthanc(dicomPort, httpPort, configFile, workDirectory.resolve("orthanc.log"));
        orthanc.launch();
        return orthanc;
    }

    private void launch() throws IOException, InterruptedException {
        process = PeerProcess.start("Orthanc", List.of(EXECUTABLE, configFile.toString()), Dcmtk.NODELAY, log);
        try {
            process.awaitPort(dicomPort, Duration.ofSeconds(60));
            process.awaitPort(httpPort, Duration.ofSeconds(60));
        } catch (IOException | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    /** Takes Orthanc down (its ports refuse connections until {@link #restart()}); what it stored stays. */
    public void stop() {
        process.close();
    }

    /** Starts it again after {@link #stop()}: same configuration, ports and storage. */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) throw new IllegalStateException("Orthanc is running");
        launch();
    }

    public int dicomPort() {
        return dicomPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public PeerProcess process() {
        return process;
    }

    /** GET on the REST API, body as text; throws on a non-2xx status. */
    public String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IOException("Orthanc GET " + path + " -> " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    /** POST of a JSON body on the REST API (e.g. {@code /tools/find}), answer as text; throws on a non-2xx status. */
    public String post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IOException("Orthanc POST " + path + " -> " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    /** GET on the REST API, body as bytes (e.g. {@code /instances/ID/file}); throws on a non-2xx status. */
    public byte[] getBytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 != 2) throw new IOException("Orthanc GET " + path + " -> " + r.statusCode());
        return r.body();
    }

    /** Number of instances Orthanc stores (from {@code /statistics}). */
    public int instanceCount() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("\"CountInstances\"\\s*:\\s*(\\d+)").matcher(get("/statistics"));
        if (!m.find()) throw new IOException("no CountInstances in Orthanc /statistics");
        return Integer.parseInt(m.group(1));
    }

    @Override
    public void close() {
        process.close();
    }
}
