package org.seggateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.seggateway.dicomio.net.AssociationListener;
import org.seggateway.dicomio.net.DicomReceiver;
import org.seggateway.dicomio.net.ReceiverConfig;

/**
 * The demo's stand-in for a PACS: a C-STORE receiver on a free loopback port that keeps every instance it gets
 * as {@code FOLDER/N.dcm} and reports the first DICOM Segmentation.
 */
final class StandInPacs implements AutoCloseable {
    static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

    /** A SEG as it arrived: where it was stored and who sent it when. */
    record ArrivedSeg(Path file, String sopInstanceUid, String callingAeTitle, long arrivedNanos) {
    }

    private final DicomReceiver receiver;
    private final CompletableFuture<ArrivedSeg> firstSeg = new CompletableFuture<>();

    private StandInPacs(Path folder, String aeTitle) throws IOException {
        Files.createDirectories(folder);
        AtomicInteger count = new AtomicInteger();
        this.receiver = DicomReceiver.start(ReceiverConfig.defaults(aeTitle, folder.resolve("incoming")), instance -> {
            Path kept = folder.resolve(count.incrementAndGet() + ".dcm");
            Files.move(instance.file(), kept, StandardCopyOption.REPLACE_EXISTING);
            if (SEGMENTATION_STORAGE.equals(instance.sopClassUid()))
                firstSeg.complete(new ArrivedSeg(kept, instance.sopInstanceUid(), instance.callingAeTitle(), System.nanoTime()));
        }, AssociationListener.NONE);
    }

    static StandInPacs start(Path folder, String aeTitle) throws IOException {
        return new StandInPacs(folder, aeTitle);
    }

    int port() {
        return receiver.port();
    }

    String aeTitle() {
        return receiver.config().aeTitle();
    }

    /**
     * Waits for the first SEG, calling {@code stillRunning} every second (it throws when a process the result
     * depends on has died); throws a {@link TimeoutException} after {@code timeout}.
     */
    ArrivedSeg awaitSeg(Duration timeout, Runnable stillRunning) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return firstSeg.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException notYet) {
                if (System.nanoTime() > deadline) throw notYet;
                stillRunning.run();
            }
        }
    }

    @Override
    public void close() {
        receiver.close();
    }
}
