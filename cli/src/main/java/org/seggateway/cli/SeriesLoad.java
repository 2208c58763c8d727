package org.seggateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreOutcome;
import org.seggateway.dicomio.net.StoreResult;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/**
 * A steady stream of CT series for a {@link LocalCluster}, as modalities behind a load balancer send them: a new series
 * (a study of its own) every {@code every}, each in one association to the next gateway in turn. Instances not answered
 * with Success (a gateway down, killed mid-association, refusing for lack of disk) are sent again to the next gateway
 * after a second, as a modality with a fail-over address does, until all are acknowledged or {@code tries} ran out.
 */
public final class SeriesLoad implements AutoCloseable {
    public static final String MODALITY_AE = "CLUSTERCT";
    private static final int TRIES = 60;

    /** One series sent: what was acknowledged, and each try that was not answered with Success for everything. */
    public record Series(String studyInstanceUid, String seriesInstanceUid, List<String> sopInstanceUids, Set<String> acknowledged,
                         long startedNanos, List<String> problems) {
        public boolean complete() {
            return acknowledged.size() == sopInstanceUids.size();
        }
    }

    private final Path folder;
    private final List<RemoteAe> gateways;
    private final int[] size;
    private final Consumer<String> say;
    private final DicomSender sender = new DicomSender(MODALITY_AE);
    private final List<Series> sent = new CopyOnWriteArrayList<>();
    private final Map<Integer, Series> byNumber = new ConcurrentHashMap<>();
    private final Set<Thread> sending = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread clock;

    private SeriesLoad(Path folder, List<RemoteAe> gateways, Duration every, int[] size, Consumer<String> say) {
        this.folder = folder;
        this.gateways = List.copyOf(gateways);
        this.size = size.clone();
        this.say = say;
        this.clock = Thread.ofPlatform().name("series-load").daemon().start(() -> tick(every));
    }

    /** Starts sending a series of {@code size} (rows, columns, slices) every {@code every} to the gateways in turn. */
    public static SeriesLoad start(Path folder, List<RemoteAe> gateways, Duration every, int[] size, Consumer<String> say)
            throws IOException {
        if (gateways.isEmpty()) throw new IllegalArgumentException("no gateway to send to");
        Files.createDirectories(folder);
        return new SeriesLoad(folder, gateways, every, size, say);
    }

    private void tick(Duration every) {
        long nextAt = System.nanoTime();
        while (running.get()) {
            int n = next.getAndIncrement();
            Thread t = Thread.ofVirtual().name("series-" + n).unstarted(() -> sendSeries(n));
            sending.add(t);
            t.start();
            nextAt += every.toNanos();
            long wait = nextAt - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Sends one more series of {@code size} with {@code spacing} (row, column, slice; mm) now, first to gateway
     * {@code gatewayIndex}, besides the steady ones (a fault test times its fault by it); returns once it is written and
     * its sending has begun.
     */
    public Series sendNow(int[] size, double[] spacing, int gatewayIndex) throws InterruptedException {
        int n = next.getAndIncrement();
        Thread t = Thread.ofVirtual().name("series-" + n).unstarted(() -> sendSeries(n, size, spacing, gatewayIndex - n));
        sending.add(t);
        t.start();
        while (t.isAlive() && !byNumber.containsKey(n)) Thread.sleep(10);
        Series series = byNumber.get(n);
        if (series == null) throw new IllegalStateException("series " + n + " could not be written");
        return series;
    }

    private void sendSeries(int n) {
        sendSeries(n, size, new double[]{1.5, 1.5, 3.0}, 0);
    }

    /** Series {@code n} of {@code size} and {@code spacing}, first to gateway {@code (n + offset) mod gateways}. */
    private void sendSeries(int n, int[] size, double[] spacing, int offset) {
        try {
            SyntheticSeries.Written ct = SyntheticSeries.ct().size(size[0], size[1], size[2]).spacing(spacing[0], spacing[1], spacing[2])
                    .noise(5, n)
                    .write(folder.resolve("series-" + n));
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            List<String> problems = new CopyOnWriteArrayList<>();
            Series series = new Series(ct.studyInstanceUid(), ct.seriesInstanceUid(), ct.sopInstanceUids(), acknowledged,
                    System.nanoTime(), problems);
            sent.add(series);
            byNumber.put(n, series);
            List<Path> rest = ct.files();
            for (int attempt = 0; attempt < TRIES && !rest.isEmpty(); attempt++) {
                RemoteAe gateway = gateways.get(Math.floorMod(n + offset + attempt, gateways.size()));
                if (attempt > 0) Thread.sleep(1000);
                try {
                    StoreResult result = sender.store(gateway, rest);
                    List<Path> notStored = new ArrayList<>();
                    for (StoreOutcome o : result.outcomes()) {
                        if (o.stored()) acknowledged.add(o.sopInstanceUid());
                        else notStored.add(o.file());
                    }
                    if (!notStored.isEmpty())
                        problems.add(notStored.size() + " not stored by :" + gateway.port() + " (" + result.failures().getFirst() + ")");
                    rest = notStored;
                } catch (IOException refused) {
                    problems.add("no association with :" + gateway.port() + " (" + refused.getMessage() + ")");
                }
            }
            if (!rest.isEmpty()) say.accept("series " + n + ": " + rest.size() + " instances never stored: " + problems.getLast());
        } catch (IOException e) {
            say.accept("series " + n + ": not written: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sending.remove(Thread.currentThread());
        }
    }

    /** The series started so far (some may still be sending). */
    public List<Series> sent() {
        return Collections.unmodifiableList(sent);
    }

    /** Starts no more series and waits until the ones started are sent (or given up). */
    public void stopAndDrain(Duration timeout) throws InterruptedException {
        running.set(false);
        clock.interrupt();
        clock.join(timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : List.copyOf(sending)) t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }

    @Override
    public void close() throws InterruptedException {
        stopAndDrain(Duration.ofSeconds(60));
    }
}
