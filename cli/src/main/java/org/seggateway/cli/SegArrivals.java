package org.seggateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.AssociationListener;
import org.seggateway.dicomio.net.DicomReceiver;
import org.seggateway.dicomio.net.ReceiverConfig;
import org.seggateway.dicomio.net.RemoteAe;

/**
 * The SEG receiver of the demo (its stand-in PACS) and of the bench: a C-STORE receiver on a free loopback port that
 * keeps each instance as {@code FOLDER/N.dcm} and notes when each DICOM Segmentation was stored, in arrival order.
 */
final class SegArrivals implements AutoCloseable {
    static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

    /**
     * A SEG as it arrived: kept where, sent by whom, stored when (after the file was in place, before the C-STORE
     * response), both as wall-clock instant and as {@link System#nanoTime()}.
     */
    record Arrival(Path file, String sopInstanceUid, String callingAeTitle, Instant stored, long storedNanos) {
    }

    private final DicomReceiver receiver;
    private final BlockingQueue<Arrival> segs = new LinkedBlockingQueue<>();
    private final Map<String, Set<String>> segsByStudy = new ConcurrentHashMap<>();

    private SegArrivals(Path folder, String aeTitle) throws IOException {
        Files.createDirectories(folder);
        AtomicInteger count = new AtomicInteger();
        this.receiver = DicomReceiver.start(ReceiverConfig.defaults(aeTitle, folder.resolve("incoming")), instance -> {
            Path kept = folder.resolve(count.incrementAndGet() + ".dcm");
            Files.move(instance.file(), kept, StandardCopyOption.REPLACE_EXISTING);
            if (SEGMENTATION_STORAGE.equals(instance.sopClassUid())) {
                segsByStudy.computeIfAbsent(DicomHeader.read(kept).string("StudyInstanceUID"), k -> ConcurrentHashMap.newKeySet())
                        .add(instance.sopInstanceUid());
                segs.add(new Arrival(kept, instance.sopInstanceUid(), instance.callingAeTitle(), Instant.now(), System.nanoTime()));
            }
        }, AssociationListener.NONE);
    }

    static SegArrivals start(Path folder, String aeTitle) throws IOException {
        return new SegArrivals(folder, aeTitle);
    }

    int port() {
        return receiver.port();
    }

    String aeTitle() {
        return receiver.config().aeTitle();
    }

    /** Where to send to it. */
    RemoteAe ae() {
        return new RemoteAe("127.0.0.1", port(), aeTitle());
    }

    /**
     * The next SEG to arrive; {@code stillRunning} is called every second and throws when a process the SEG needs
     * died. Throws a {@link TimeoutException} when none arrived within {@code timeout}.
     */
    Arrival next(Duration timeout, Runnable stillRunning) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Arrival a = segs.poll(1, TimeUnit.SECONDS);
            if (a != null) return a;
            stillRunning.run();
        }
        throw new TimeoutException("no SEG arrived within " + timeout.toSeconds() + " s");
    }

    /** The SOP Instance UIDs of the SEGs received, by study (a SEG stored again under its own UID counts once, as at a PACS). */
    Map<String, Set<String>> segsByStudy() {
        return Map.copyOf(segsByStudy);
    }

    @Override
    public void close() {
        receiver.close();
    }
}
