package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeReader;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.AssociationEvent.Type;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.Part10;

/** {@link DicomReceiver} against DCMTK {@code storescu} and {@code echoscu} as the real senders. */
class DicomReceiverTest {

    @TempDir
    static Path shared;
    static SyntheticSeries.Written series;

    @TempDir
    Path work;

    /** A stand-in for the gateway's spool: moves each instance to store/SOPInstanceUID, as a handler must. */
    final Map<String, Path> durable = new ConcurrentHashMap<>();
    final List<AssociationEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void writeSeries() throws IOException {
        series = SyntheticSeries.ct().size(64, 64, 12).noise(10, 7).write(shared.resolve("ct"));
    }

    private DicomReceiver start(ReceiverConfig config, StorageHandler handler) throws IOException {
        return DicomReceiver.start(config, handler, events::add);
    }

    private ReceiverConfig config() {
        return ReceiverConfig.defaults("GATEWAY", work.resolve("incoming"));
    }

    private StorageHandler moveToStore() throws IOException {
        Path store = Files.createDirectories(work.resolve("store"));
        return instance -> {
            Path target = store.resolve(instance.sopInstanceUid());
            Files.move(instance.file(), target, StandardCopyOption.REPLACE_EXISTING);
            durable.put(instance.sopInstanceUid(), target);
        };
    }

    @Test
    void echoscuGetsSuccessAndTheAssociationIsAuditedFromAcceptToRelease() throws Exception {
        try (DicomReceiver scp = start(config(), moveToStore())) {
            Dcmtk.Result echo = Dcmtk.echoscu("MODALITY", "GATEWAY", scp.port());
            assertThat(echo.exitCode()).as(echo.output()).isZero();
            awaitEvents(2);
        }
        assertThat(events).extracting(AssociationEvent::type).containsExactly(Type.ACCEPTED, Type.RELEASED);
        assertThat(events.getFirst().callingAeTitle()).isEqualTo("MODALITY");
        assertThat(events.getFirst().calledAeTitle()).isEqualTo("GATEWAY");
        assertThat(events.getFirst().remoteAddress().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void storescuSeriesArrivesWithDataSetsByteIdenticalAndHandlerSeesEveryInstance() throws Exception {
        List<ReceivedInstance> seen = new CopyOnWriteArrayList<>();
        StorageHandler store = moveToStore();
        try (DicomReceiver scp = start(config(), instance -> {
            seen.add(instance);
            store.store(instance);
        })) {
            Dcmtk.Result r = Dcmtk.storescu("MODALITY", "GATEWAY", scp.port(), series.files());
            assertThat(r.exitCode()).as(r.output()).isZero();
            awaitEvents(2);
        }
        assertThat(durable.keySet()).containsExactlyInAnyOrderElementsOf(series.sopInstanceUids());
        for (int i = 0; i < series.files().size(); i++) {
            Path sent = series.files().get(i);
            Path received = durable.get(series.sopInstanceUids().get(i));
            assertThat(Part10.dataSet(received)).as("data set of %s", sent.getFileName()).isEqualTo(Part10.dataSet(sent));
        }
        assertThat(seen).allSatisfy(instance -> {
            assertThat(instance.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
            assertThat(instance.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
            assertThat(instance.callingAeTitle()).isEqualTo("MODALITY");
            assertThat(instance.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
            // hashed while written: the SHA-256 of the data set as it lies in the file
            assertThat(instance.dataSetSha256()).isEqualTo(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Part10.dataSet(durable.get(instance.sopInstanceUid())))));
        });
        // the received files are readable Part 10 files for DCMTK too
        Dcmtk.Result dump = Dcmtk.run(java.time.Duration.ofSeconds(30),
                List.of("dcmdump", "+P", "0002,0002", "+P", "0008,0018", durable.get(series.sopInstanceUids().getFirst()).toString()));
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        assertThat(dump.output()).contains(series.sopInstanceUids().getFirst()).contains("CTImageStorage");
        assertThat(events).extracting(AssociationEvent::type).containsExactly(Type.ACCEPTED, Type.RELEASED);
        assertThat(events.getLast().instancesStored()).isEqualTo(series.files().size());
        assertThat(incomingLeftovers()).isEmpty();
    }

    @Test
    void handlerThrowingAbortsTheAssociationSoStorescuFailsAndNothingIsStoredForThatInstance() throws Exception {
        String failing = series.sopInstanceUids().get(3);
        StorageHandler store = moveToStore();
        try (DicomReceiver scp = start(config(), instance -> {
            if (instance.sopInstanceUid().equals(failing)) throw new IOException("spool disk full (simulated)");
            store.store(instance);
        })) {
            Dcmtk.Result r = Dcmtk.storescu("MODALITY", "GATEWAY", scp.port(), series.files());
            assertThat(r.exitCode()).as(r.output()).isNotZero();
            assertThat(r.output()).containsIgnoringCase("abort");
            awaitEvents(2);
        }
        assertThat(durable).doesNotContainKey(failing);
        assertThat(durable.keySet()).containsExactlyInAnyOrderElementsOf(series.sopInstanceUids().subList(0, 3));
        assertThat(events).extracting(AssociationEvent::type).containsExactly(Type.ACCEPTED, Type.ABORTED);
        assertThat(events.getLast().detail()).contains(failing).contains("spool disk full");
        assertThat(events.getLast().instancesStored()).isEqualTo(3);
        assertThat(incomingLeftovers()).isEmpty();
    }

    @Test
    void storeRefusedGivesThatFailureStatusAndTheAssociationGoesOn() throws Exception {
        String refused = series.sopInstanceUids().get(2);
        StorageHandler store = moveToStore();
        try (DicomReceiver scp = start(config(), instance -> {
            if (instance.sopInstanceUid().equals(refused))
                throw new StoreRefusedException(DimseStatus.CANNOT_UNDERSTAND, "not a valid instance (test)");
            store.store(instance);
        })) {
            Dcmtk.Result r = Dcmtk.storescu("MODALITY", "GATEWAY", scp.port(), series.files(), "-nh", "-v");
            assertThat(r.output()).contains("Received Store Response (Error: CannotUnderstand)");
            assertThat(r.output().split("Received Store Response \\(Success\\)", -1)).hasSize(series.files().size());
            awaitEvents(2);
        }
        assertThat(durable).doesNotContainKey(refused).hasSize(series.files().size() - 1);
        assertThat(events).extracting(AssociationEvent::type).containsExactly(Type.ACCEPTED, Type.RELEASED);
    }

    @Test
    void unknownCallingAeIsRejectedAtAssociationTimeAndAudited() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        try (DicomReceiver scp = start(config().withAllowedCallingAeTitles(Set.of("PACS", "CT01")),
                instance -> handled.incrementAndGet())) {
            Dcmtk.Result rejected = Dcmtk.storescu("INTRUDER", "GATEWAY", scp.port(), series.files().subList(0, 1));
            assertThat(rejected.exitCode()).isNotZero();
            assertThat(rejected.output()).contains("Association Rejected").containsIgnoringCase("Calling AE Title Not Recognized");
            Dcmtk.Result allowed = Dcmtk.echoscu("CT01", "GATEWAY", scp.port());
            assertThat(allowed.exitCode()).as(allowed.output()).isZero();
            awaitEvents(3);
        }
        assertThat(handled).hasValue(0);
        assertThat(events).extracting(AssociationEvent::type).containsExactly(Type.REJECTED, Type.ACCEPTED, Type.RELEASED);
        assertThat(events.getFirst().callingAeTitle()).isEqualTo("INTRUDER");
        assertThat(events.getFirst().detail()).contains("INTRUDER").contains("allow-list");
    }

    @Test
    void wrongCalledAeIsRejected() throws Exception {
        try (DicomReceiver scp = start(config(), moveToStore())) {
            Dcmtk.Result r = Dcmtk.echoscu("MODALITY", "SOMEONEELSE", scp.port());
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.output()).containsIgnoringCase("Called AE Title Not Recognized");
            awaitEvents(1);
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(Type.REJECTED);
            assertThat(e.detail()).contains("SOMEONEELSE");
        });
    }

    @Test
    void portProbeIsIgnoredQuietlyAndTheReceiverKeepsServing() throws Exception {
        try (DicomReceiver scp = start(config(), moveToStore())) {
            try (Socket probe = new Socket("127.0.0.1", scp.port())) {
                assertThat(probe.isConnected()).isTrue();
            }
            try (Socket garbage = new Socket("127.0.0.1", scp.port())) {
                garbage.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
                assertThat(garbage.getInputStream().read()).isEqualTo(-1); // closed on us
            }
            Dcmtk.Result echo = Dcmtk.echoscu("MODALITY", "GATEWAY", scp.port());
            assertThat(echo.exitCode()).as(echo.output()).isZero();
            awaitEvents(2);
        }
        assertThat(events).extracting(AssociationEvent::type).containsExactly(Type.ACCEPTED, Type.RELEASED);
    }

    @Test
    void everyCompressedSyntaxIsAcceptedFromStorescuAndTheReceivedSeriesReadsToTheOriginalVoxels() throws Exception {
        Volume original = VolumeReader.readSingleSeries(series.directory());
        // storescu option proposing that syntax first (then uncompressed; it cannot decompress), DCMTK/GDCM encoder
        String[][] cases = {
            {"1.2.840.10008.1.2.4.90", "-xv", "gdcmconv --j2k"},
            {"1.2.840.10008.1.2.4.80", "-xt", "dcmcjpls"},
            {"1.2.840.10008.1.2.4.81", "-xu", "dcmcjpls +en +md 1"},
            {"1.2.840.10008.1.2.5", "-xr", "dcmcrle"},
            {"1.2.840.10008.1.2.1.99", "-xd", "dcmconv +td"},
            {"1.2.840.10008.1.2.4.70", "-xs", "dcmcjpeg"},
        };
        Map<String, String> syntaxByFile = new ConcurrentHashMap<>();
        Path[] store = new Path[1];
        try (DicomReceiver scp = start(config(), instance -> {
            syntaxByFile.put(instance.sopInstanceUid(), instance.transferSyntaxUid());
            Files.move(instance.file(), store[0].resolve(instance.sopInstanceUid() + ".dcm"));
        })) {
            for (String[] c : cases) {
                Path compressed = Files.createDirectories(work.resolve("sent-" + c[0]));
                for (Path f : series.files()) {
                    List<String> command = new java.util.ArrayList<>(List.of(c[2].split(" ")));
                    command.addAll(List.of(f.toString(), compressed.resolve(f.getFileName()).toString()));
                    runOk(command);
                }
                store[0] = Files.createDirectories(work.resolve("received-" + c[0]));
                syntaxByFile.clear();

                Dcmtk.Result r = Dcmtk.storescu("MODALITY", "GATEWAY", scp.port(),
                        series.files().stream().map(f -> compressed.resolve(f.getFileName())).toList(), "-R", c[1]);

                assertThat(r.exitCode()).as(c[0] + ": " + r.output()).isZero();
                assertThat(syntaxByFile).as(c[0]).hasSize(12);
                assertThat(java.util.Set.copyOf(syntaxByFile.values())).as(c[0]).containsExactly(c[0]);
                Volume received = VolumeReader.readSingleSeries(store[0]);
                Volume expected = original;
                if (c[1].equals("-xu")) { // near-lossless: what DCMTK decodes from the files sent
                    Path decoded = Files.createDirectories(work.resolve("dcmdjpls"));
                    for (Path f : series.files())
                        runOk(List.of("dcmdjpls", compressed.resolve(f.getFileName()).toString(), decoded.resolve(f.getFileName()).toString()));
                    expected = VolumeReader.readSingleSeries(decoded);
                    assertThat(expected.int16Voxels()).isNotEqualTo(original.int16Voxels());
                }
                assertThat(received.int16Voxels()).as(c[0]).isEqualTo(expected.int16Voxels());
            }
        }
    }

    @Test
    void aSyntaxLeftOutOfTheConfiguredListIsRefusedAtNegotiation() throws Exception {
        Path jpegLs = work.resolve("jpeg-ls.dcm");
        runOk(List.of("dcmcjpls", series.files().getFirst().toString(), jpegLs.toString()));
        ReceiverConfig withoutJpegLs = config().withTransferSyntaxes(AcceptedTransferSyntaxes.parse(
                List.of("explicit-vr-little-endian", "jpeg-2000-lossless"), true));
        try (DicomReceiver scp = start(withoutJpegLs, moveToStore())) {
            Dcmtk.Result ls = Dcmtk.storescu("MODALITY", "GATEWAY", scp.port(), List.of(jpegLs), "-R", "-xt");

            assertThat(ls.exitCode()).isNotZero();
            assertThat(ls.output()).contains("unable to convert dataset from 'JPEG-LS");
            assertThat(durable).isEmpty();
        }
    }

    @Test
    void truncatedFileIsNotSentByStorescuAndEverythingElseArrives() throws Exception {
        Path truncated = work.resolve("truncated.dcm");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(series.files().get(1)), 3000));
        List<Path> files = new java.util.ArrayList<>(series.files());
        files.set(1, truncated);
        try (DicomReceiver scp = start(config(), moveToStore())) {
            // without -nh storescu stops at the bad file, and the later ones are simply not sent
            Dcmtk.Result r = Dcmtk.storescu("MODALITY", "GATEWAY", scp.port(), files, "-nh");
            assertThat(r.output()).contains("Bad DICOM file").contains("truncated.dcm");
            awaitEvents(2);
        }
        List<String> expected = new java.util.ArrayList<>(series.sopInstanceUids());
        expected.remove(1);
        assertThat(durable.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void malformedInstanceOnTheWireGetsAFailureStatusFromAValidatingHandlerAndNothingElseIsLost() throws Exception {
        // our sender streams the data set raw, so a file truncated after its meta information reaches the receiver
        Path truncated = work.resolve("truncated.dcm");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(series.files().get(1)), 3000));
        List<Path> files = new java.util.ArrayList<>(series.files());
        files.set(1, truncated);
        StorageHandler store = moveToStore();
        StorageHandler validating = instance -> {
            // PixelMed logs a truncated Pixel Data element and leaves it out instead of throwing
            com.pixelmed.dicom.AttributeList list = new com.pixelmed.dicom.AttributeList();
            try {
                list.read(instance.file().toFile());
            } catch (IOException | com.pixelmed.dicom.DicomException e) {
                throw new StoreRefusedException(DimseStatus.CANNOT_UNDERSTAND, "malformed data set: " + e.getMessage());
            }
            if (list.getPixelData() == null)
                throw new StoreRefusedException(DimseStatus.CANNOT_UNDERSTAND, "no (complete) pixel data");
            store.store(instance);
        };
        StoreResult result;
        try (DicomReceiver scp = start(config(), validating)) {
            result = new DicomSender("MODALITY").store(new RemoteAe("127.0.0.1", scp.port(), "GATEWAY"), files);
            awaitEvents(2);
        }
        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo(truncated);
            assertThat(f.status()).isEqualTo(DimseStatus.CANNOT_UNDERSTAND);
        });
        List<String> expected = new java.util.ArrayList<>(series.sopInstanceUids());
        expected.remove(1);
        assertThat(durable.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(events).extracting(AssociationEvent::type).containsExactly(Type.ACCEPTED, Type.RELEASED);
        assertThat(incomingLeftovers()).isEmpty();
    }

    private static void runOk(List<String> command) throws Exception {
        Dcmtk.Result r = Dcmtk.run(java.time.Duration.ofSeconds(30), command);
        assertThat(r.exitCode()).as(command + ": " + r.output()).isZero();
    }

    @Test
    void severalAssociationsAtOnce() throws Exception {
        List<SyntheticSeries.Written> more = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) more.add(SyntheticSeries.ct().size(32, 32, 8).write(work.resolve("s" + i)));
        StorageHandler store = moveToStore();
        AtomicInteger concurrent = new AtomicInteger(), maxConcurrent = new AtomicInteger();
        try (DicomReceiver scp = start(config(), instance -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            Thread.sleep(20);
            concurrent.decrementAndGet();
            store.store(instance);
        })) {
            List<java.util.concurrent.Future<Dcmtk.Result>> runs = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (SyntheticSeries.Written s : more)
                    runs.add(pool.submit(() -> Dcmtk.storescu("CT0" + more.indexOf(s), "GATEWAY", scp.port(), s.files())));
            }
            for (var run : runs) assertThat(run.get().exitCode()).as(run.get().output()).isZero();
            awaitEvents(6);
        }
        assertThat(durable).hasSize(24);
        assertThat(maxConcurrent.get()).isGreaterThan(1);
        assertThat(events).filteredOn(e -> e.type() == Type.RELEASED).extracting(AssociationEvent::callingAeTitle)
                .containsExactlyInAnyOrder("CT00", "CT01", "CT02");
    }

    @Test
    void closeLetsARunningAssociationFinishAndThenRefusesConnections() throws Exception {
        StorageHandler store = moveToStore();
        java.util.concurrent.CountDownLatch firstArrived = new java.util.concurrent.CountDownLatch(1);
        DicomReceiver scp = start(config(), instance -> {
            firstArrived.countDown();
            Thread.sleep(50);
            store.store(instance);
        });
        int port = scp.port();
        assertThat(scp.isListening()).isTrue();
        java.util.concurrent.CompletableFuture<Dcmtk.Result> sending = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Dcmtk.storescu("MODALITY", "GATEWAY", port, series.files());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(firstArrived.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        scp.close();
        assertThat(scp.isListening()).isFalse();
        assertThat(sending.isDone()).as("close() returned only after the association ended").isTrue();
        assertThat(sending.get().exitCode()).as(sending.get().output()).isZero();
        assertThat(durable).hasSize(series.files().size());
        assertThat(Dcmtk.echoscu("MODALITY", "GATEWAY", port).exitCode()).isNotZero();
    }

    @Test
    void releaseWaitIsShortenedSoAPixelMedBasedRequestorIsNotHeldFiveSeconds() throws Exception {
        try (DicomReceiver scp = start(config(), moveToStore())) {
            assertThat(PixelMedTuning.releaseWaitMillis()).isEqualTo(100);
            long t0 = System.nanoTime();
            new DicomSender("SEGGATEWAY").echo(new RemoteAe("127.0.0.1", scp.port(), "GATEWAY"));
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.0);
            awaitEvents(2);
        }
        assertThat(events).extracting(AssociationEvent::type).containsExactly(Type.ACCEPTED, Type.RELEASED);
    }

    @Test
    void idleAssociationIsAbortedAfterTheIdleTimeoutAndAudited() throws Exception {
        try (DicomReceiver scp = start(config().withIdleTimeout(java.time.Duration.ofMillis(300)), moveToStore())) {
            // a requestor that associates and then sends nothing
            java.util.LinkedList<com.pixelmed.network.PresentationContext> contexts = new java.util.LinkedList<>();
            contexts.add(new com.pixelmed.network.PresentationContext((byte) 1, "1.2.840.10008.1.1", "1.2.840.10008.1.2"));
            com.pixelmed.network.Association idle = com.pixelmed.network.AssociationFactory.createNewAssociation(
                    "127.0.0.1", scp.port(), "GATEWAY", "SLEEPY", contexts, null, false);
            try {
                awaitEvents(2);
            } finally {
                java.net.Socket socket = PixelMedTuning.socketOf(idle);
                if (socket != null) socket.close();
            }
        }
        assertThat(events).extracting(AssociationEvent::type).containsExactly(Type.ACCEPTED, Type.ABORTED);
        assertThat(events.getLast().callingAeTitle()).isEqualTo("SLEEPY");
    }

    private List<Path> incomingLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(work.resolve("incoming"))) {
            return files.toList();
        }
    }

    private void awaitEvents(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (events.size() < count && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(events).as("association events").hasSizeGreaterThanOrEqualTo(count);
    }
}
