package org.seggateway.it.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.Orthanc;
import org.seggateway.local.FreePorts;
import org.seggateway.local.LocalKafka;

/**
 * The product with real peers, for one test class: a Kafka broker, a fresh PostgreSQL database, Orthanc as the PACS
 * and the packaged gateway routing CT series to the test model and Orthanc. Workers are the test's business. Quiet
 * time and delivery backoff are short so that the faults play out in seconds.
 */
public final class Pipeline implements AutoCloseable {
    public static final String GATEWAY_AE = "SEGGATEWAY";
    public static final String MODALITY_AE = "CT01";
    /** Route and destination names in the gateway's configuration. */
    public static final String ROUTE = "itct", DESTINATION = "orthanc";
    /** The stow-rs destination (Orthanc's DICOMweb) of a pipeline started {@link #startWithOrthancDicomWeb with it}. */
    public static final String STOW_DESTINATION = "orthanc-web";

    private final Path directory;
    private final List<AutoCloseable> started = new ArrayList<>();
    private LocalKafka broker;
    private PipelineDatabase database;
    private Orthanc orthanc;
    private GatewayProcess gateway;
    private int scpPort;
    private boolean orthancDicomWeb;

    private Pipeline(Path directory) {
        this.directory = directory;
    }

    /**
     * A new folder for one test class under {@code target/pipeline-tests}: the logs of the gateway, broker, Orthanc
     * and workers stay there for a look after a failure.
     */
    public static Path workDirectory(Class<?> testClass) throws IOException {
        return Files.createDirectories(Path.of("target", "pipeline-tests",
                testClass.getSimpleName() + "-" + System.currentTimeMillis()).toAbsolutePath());
    }

    public static Pipeline start(Path directory, Duration quietTime) throws Exception {
        return start(directory, quietTime, Map.of(), List.of());
    }

    /** With more gateway properties, and AEs Orthanc knows (e.g. as move destinations). */
    public static Pipeline start(Path directory, Duration quietTime, Map<String, String> gatewayProperties,
                                 List<Orthanc.Modality> orthancModalities) throws Exception {
        return start(directory, quietTime, gatewayProperties, orthancModalities, "768m");
    }

    /** With Orthanc's DICOMweb plugin loaded (STOW-RS destination tests). */
    public static Pipeline startWithOrthancDicomWeb(Path directory, Duration quietTime, Map<String, String> gatewayProperties)
            throws Exception {
        Pipeline pipeline = new Pipeline(directory);
        pipeline.orthancDicomWeb = true;
        try {
            pipeline.startAll(quietTime, gatewayProperties, List.of(), "768m");
        } catch (Exception e) {
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    /** With the gateway's heap limited to {@code gatewayMaxHeap} (e.g. {@code 256m}). */
    public static Pipeline start(Path directory, Duration quietTime, Map<String, String> gatewayProperties,
                                 List<Orthanc.Modality> orthancModalities, String gatewayMaxHeap) throws Exception {
        Pipeline pipeline = new Pipeline(directory);
        try {
            pipeline.startAll(quietTime, gatewayProperties, orthancModalities, gatewayMaxHeap);
        } catch (Exception e) {
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    private void startAll(Duration quietTime, Map<String, String> gatewayProperties, List<Orthanc.Modality> orthancModalities,
                          String gatewayMaxHeap) throws Exception {
        broker = LocalKafka.start(Files.createDirectories(directory.resolve("kafka")));
        started.add(broker);
        database = PipelineDatabase.create(directory.resolve("postgres"));
        started.add(database);
        Path orthancDirectory = Files.createDirectories(directory.resolve("orthanc"));
        orthanc = orthancDicomWeb ? Orthanc.startWithDicomWeb(orthancDirectory, orthancModalities)
                : Orthanc.start(orthancDirectory, orthancModalities);
        started.add(orthanc);
        scpPort = FreePorts.next();

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        environment.put("QUARKUS_DATASOURCE_USERNAME", database.username());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("SEG_GATEWAY_SPOOL", directory.resolve("spool").toString());
        environment.put("SEG_GATEWAY_SCP_PORT", Integer.toString(scpPort));
        environment.put("SEG_GATEWAY_SCP_AE_TITLE", GATEWAY_AE);

        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("seg-gateway.model-root", Path.of("src/test/resources/models").toAbsolutePath().toString());
        properties.put("seg-gateway.routes." + ROUTE + ".match.modalities", "CT");
        properties.put("seg-gateway.routes." + ROUTE + ".quiet-time", quietTime.toMillis() + "ms");
        properties.put("seg-gateway.routes." + ROUTE + ".models", "test-model");
        properties.put("seg-gateway.routes." + ROUTE + ".destinations", DESTINATION);
        properties.put("seg-gateway.destinations." + DESTINATION + ".host", "127.0.0.1");
        properties.put("seg-gateway.destinations." + DESTINATION + ".port", Integer.toString(orthanc.dicomPort()));
        properties.put("seg-gateway.destinations." + DESTINATION + ".ae-title", Orthanc.AE_TITLE);
        properties.put("seg-gateway.completion.check-every", "1s");
        properties.put("seg-gateway.queue.partitions", "2");
        properties.put("seg-gateway.queue.dispatch-every", "1s");
        properties.put("seg-gateway.delivery.check-every", "1s");
        properties.put("seg-gateway.delivery.initial-backoff", "1s");
        properties.put("seg-gateway.delivery.max-backoff", "3s");
        if (orthancDicomWeb) {
            properties.put("seg-gateway.destinations." + STOW_DESTINATION + ".kind", "stow-rs");
            properties.put("seg-gateway.destinations." + STOW_DESTINATION + ".url", "http://127.0.0.1:" + orthanc.httpPort()
                    + Orthanc.DICOMWEB_ROOT.substring(0, Orthanc.DICOMWEB_ROOT.length() - 1));
        }
        properties.putAll(gatewayProperties);
        gateway = GatewayProcess.start(Files.createDirectories(directory.resolve("gateway")), environment, properties,
                gatewayMaxHeap);
        started.add(gateway);
    }

    public LocalKafka broker() {
        return broker;
    }

    public PipelineDatabase database() {
        return database;
    }

    public Orthanc orthanc() {
        return orthanc;
    }

    public GatewayProcess gateway() {
        return gateway;
    }

    /** The gateway's DICOM listener port. */
    public int scpPort() {
        return scpPort;
    }

    /** DCMTK {@code storescu} (TCP_NODELAY=1) sending {@code files} to the gateway's listener in one association. */
    public Dcmtk.Result storescu(List<Path> files, String... options) throws IOException, InterruptedException {
        return Dcmtk.storescu(MODALITY_AE, GATEWAY_AE, scpPort, files, options);
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable c : started.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
