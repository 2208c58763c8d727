package org.seggateway.dicomio.net;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DICOM SCP for C-ECHO and C-STORE: our own accept loop on the configured address (PixelMed's dispatcher binds all
 * interfaces), one virtual thread per association, PixelMed's upper layer for the association itself and our own
 * DIMSE handling on top ({@link AssociationWorker}).
 *
 * <p>Per connection: the A-ASSOCIATE-RQ is read first and rejected (A-ASSOCIATE-RJ) if it calls another AE title or
 * comes from a calling AE title not in the allow-list; port probes that send nothing are closed silently. Each
 * received instance goes to the {@link StorageHandler} before the C-STORE response; see there for how its outcome
 * becomes the status. Associations are reported to the {@link AssociationListener}.
 *
 * <p>Every peer is bounded ({@link ReceiverLimits}): connections beyond the global or per-address cap, counted from
 * the TCP accept (so half-open ones count), get A-ASSOCIATE-RJ rejected-transient, service-provider (presentation),
 * local-limit-exceeded at once, without anything being read from them first, and are not reported to the listener
 * (a flood would flood it) but counted ({@link #refusedOverLimit()}) and logged at most every 10 s.
 *
 * <pre>{@code
 * try (DicomReceiver scp = DicomReceiver.start(ReceiverConfig.defaults("GATEWAY", incoming), handler, listener)) {
 *     int port = scp.port();
 *     ...
 * }
 * }</pre>
 */
public final class DicomReceiver implements AutoCloseable {

    private static final ReceiverLog LOG = ReceiverLog.LOG;
    /** Numbers the associations of all receivers of this process, so that a number names one association in the log. */
    private static final AtomicLong ASSOCIATION_COUNTER = new AtomicLong();

    private final ReceiverConfig config;
    private final StorageHandler handler;
    private final AssociationListener listener;
    private final ServerSocket serverSocket;
    private final ExecutorService associations;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final ConnectionLimiter limiter;
    private final ScheduledExecutorService timers;
    private final DiskFloor diskFloor;
    private final AtomicLong refusedOverLimit = new AtomicLong();
    private final AtomicInteger refusalsInProgress = new AtomicInteger();
    private volatile long lastOverLimitLogNanos = System.nanoTime() - 60_000_000_000L;
    private final Thread acceptThread;
    private volatile boolean closing;

    private DicomReceiver(ReceiverConfig config, StorageHandler handler, AssociationListener listener)
            throws IOException {
        this.config = config;
        this.handler = handler;
        this.listener = listener;
        Files.createDirectories(config.incomingDirectory());
        deleteLeftoverPartialFiles(config.incomingDirectory());
        PixelMedTuning.setReleaseWait(config.releaseWait());
        serverSocket = config.tls() == null ? new ServerSocket() : config.tls().newServerSocket();
        try {
            serverSocket.setReuseAddress(true);
            serverSocket.bind(new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port()), 128);
        } catch (IOException e) {
            serverSocket.close();
            throw new IOException("cannot listen on " + config.bindAddress() + ":" + config.port() + " for AE "
                    + config.aeTitle() + ": " + e.getMessage(), e);
        }
        ReceiverLimits limits = config.limits();
        limiter = new ConnectionLimiter(limits.maxAssociations(), limits.maxAssociationsPerAddress());
        diskFloor = new DiskFloor(limits.minFreeDiskBytes(), config.incomingDirectory(), limits.diskFloorPaths());
        timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("dicom-deadlines-" + port()).daemon(true).factory());
        associations = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dicom-association-", 1).factory());
        acceptThread = Thread.ofPlatform().name("dicom-accept-" + port()).daemon(true).unstarted(this::acceptLoop);
    }

    /** Binds the port and starts accepting; the receiver runs until {@link #close()}. */
    public static DicomReceiver start(ReceiverConfig config, StorageHandler handler, AssociationListener listener)
            throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        DicomReceiver receiver = new DicomReceiver(config, handler, listener == null ? AssociationListener.NONE : listener);
        receiver.acceptThread.start();
        LOG.listening(config.aeTitle(), receiver.serverSocket.getLocalSocketAddress(),
                config.tls() == null ? "plain TCP" : String.valueOf(config.tls()));
        return receiver;
    }

    /** The port actually bound (the ephemeral one when configured with port 0). */
    public int port() {
        return serverSocket.getLocalPort();
    }

    public ReceiverConfig config() {
        return config;
    }

    /** Whether the port is bound and the accept loop is running (for health checks). */
    public boolean isListening() {
        return !closing && serverSocket.isBound() && !serverSocket.isClosed() && acceptThread.isAlive();
    }

    /** Connections open now (half-open ones included). */
    public int openConnections() {
        return limiter.open();
    }

    /** Connections refused since start because a connection cap was reached. */
    public long refusedOverLimit() {
        return refusedOverLimit.get();
    }

    private void acceptLoop() {
        while (!closing) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closing) LOG.acceptFailed(port(), e);
                continue;
            }
            InetAddress address = socket.getInetAddress();
            ConnectionLimiter.Refusal refusal = limiter.tryAcquire(address);
            if (refusal != ConnectionLimiter.Refusal.NONE) {
                refuseOverLimit(socket, refusal);
                continue;
            }
            long id = ASSOCIATION_COUNTER.incrementAndGet();
            openSockets.add(socket);
            try {
                associations.execute(() -> serve(socket, address, id));
            } catch (RuntimeException e) { // executor shut down between accept and execute
                closeQuietly(socket);
                openSockets.remove(socket);
                limiter.release(address);
            }
        }
    }

    private void serve(Socket socket, InetAddress address, long id) {
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()));
            new AssociationWorker(config, handler, listener, socket, id, timers, diskFloor).run();
        } catch (SocketException e) {
            LOG.goneBeforeServed(id, e);
        } finally {
            closeQuietly(socket); // PixelMed's StorageSOPClassSCP leaves it open on errors; we always close
            openSockets.remove(socket);
            limiter.release(address);
        }
    }

    /**
     * A-ASSOCIATE-RJ transient, local limit exceeded (PS3.8 9.3.4: result 2, source 3, reason 2), written before
     * anything is read, then a bounded drain on a virtual thread. While four times the global cap of refusals are
     * already draining, the connection is closed at once instead.
     */
    private void refuseOverLimit(Socket socket, ConnectionLimiter.Refusal refusal) {
        long refused = refusedOverLimit.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastOverLimitLogNanos > 10_000_000_000L) {
            lastOverLimitLogNanos = now;
            String address = socket.getInetAddress().getHostAddress();
            if (refusal == ConnectionLimiter.Refusal.GLOBAL)
                LOG.refusedGlobalLimit(address, config.limits().maxAssociations(), refused);
            else
                LOG.refusedAddressLimit(address, config.limits().maxAssociationsPerAddress(), refused);
        }
        if (refusalsInProgress.incrementAndGet() > 4 * config.limits().maxAssociations()) {
            refusalsInProgress.decrementAndGet();
            closeQuietly(socket);
            return;
        }
        try {
            Thread.ofVirtual().name("dicom-refuse").start(() -> {
                try {
                    // bounds a TLS handshake too
                    socket.setSoTimeout((int) Math.max(1, config.limits().rejectDrainTime().toMillis()));
                    OutputStream out = socket.getOutputStream();
                    AssociateRequestHeader.writeReject(out, AssociateRequestHeader.RESULT_TRANSIENT,
                            AssociateRequestHeader.SOURCE_SERVICE_PROVIDER_PRESENTATION,
                            AssociateRequestHeader.REASON_LOCAL_LIMIT_EXCEEDED);
                } catch (IOException ignored) {
                    // peer gone
                }
                BoundedDrain.drainAndClose(socket, config.limits().rejectDrainBytes(),
                        config.limits().rejectDrainTime());
                refusalsInProgress.decrementAndGet();
            });
        } catch (RuntimeException e) {
            refusalsInProgress.decrementAndGet();
            closeQuietly(socket);
        }
    }

    /**
     * Stops accepting, waits up to the shutdown timeout for running associations to end, then closes what is left
     * (those senders see the connection drop before their response and will retry).
     */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        closeQuietly(serverSocket);
        associations.shutdown();
        try {
            if (!associations.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.closingRunning(openSockets.size(), config.shutdownTimeout());
                openSockets.forEach(DicomReceiver::closeQuietly);
                associations.awaitTermination(5, TimeUnit.SECONDS);
            }
            acceptThread.join(5000);
            timers.shutdownNow();
        } catch (InterruptedException e) {
            timers.shutdownNow();
            openSockets.forEach(DicomReceiver::closeQuietly);
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteLeftoverPartialFiles(Path incoming) {
        try (DirectoryStream<Path> partial = Files.newDirectoryStream(incoming, "rcv-*.dcm")) {
            for (Path p : partial) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear incoming folder " + incoming, e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
