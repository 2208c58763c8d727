package org.seggateway.gateway.dicomweb;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.ingest.InstanceStore;
import org.seggateway.gateway.ingest.InvalidInstanceException;
import org.seggateway.gateway.ingest.StoreOutcome;
import org.seggateway.gateway.listener.IngestHandler;

/**
 * Stores the instances of one STOW-RS request through the same {@link InstanceStore} as the DICOM listener: each part
 * is streamed to {@code <spool>/incoming} (never held in memory), bounded by {@code seg-gateway.scp.limits.max-instance-size},
 * refused while the spool's file system is below {@code min-free-disk}, then moved into the spool, fsynced and committed
 * with its row and its {@code dicom.store} audit entry (the API user as the source, the user's configured AE title as
 * the series' calling AE title, so that routes match it). Downstream (series completion, routing, jobs) an instance
 * received this way is the same as one received by C-STORE.
 *
 * <p>Each part fails alone with a Failure Reason, the C-STORE status the listener would answer: 0xA700 (too large,
 * disk low), 0xA900 (does not match its SOP class, e.g. short Pixel Data; another study than the request's path
 * names), 0xC000 (not application/dicom, not a Part 10 file, unreadable, invalid UID, cut off by the end of the body),
 * 0x0110 (the spool or database failed). A body that ends inside a part fails that part; the parts before it stay stored.
 * Each part is stored while the next one is received (one store at a time, in the parts' order).
 */
@ApplicationScoped
public class StowIngest {
    private static final DicomWebLog LOG = DicomWebLog.LOG;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int PROCESSING_FAILURE = 0x0110;
    private static final AtomicLong REQUESTS = new AtomicLong();

    /** Who sends: the API user, the AE title configured for them, their address. */
    public record Sender(String user, String callingAeTitle, InetSocketAddress address) {}

    private final InstanceStore store;
    private final AuditTrail audit;
    private final MeterRegistry registry;
    private final Path incoming;
    private final long maxInstanceSize;
    private final long minFreeDisk;
    private final Counter bytesReceived;

    StowIngest(InstanceStore store, AuditTrail audit, MeterRegistry registry, GatewayConfig config) {
        this.store = store;
        this.audit = audit;
        this.registry = registry;
        this.incoming = config.spool().resolve("incoming");
        this.maxInstanceSize = config.scp().limits().maxInstanceSize().asLongValue();
        this.minFreeDisk = config.scp().limits().minFreeDisk().asLongValue();
        this.bytesReceived = Counter.builder("seggateway.stow.received.bytes").baseUnit("bytes")
                .description("Bytes of instances received by STOW-RS (Part 10 files as written)").register(registry);
    }

    /**
     * Reads the request's parts one at a time and stores each.
     *
     * @param studyUid the study the request's path names, or null ({@code POST /dicomweb/studies})
     * @throws StowRequestRefused when the media type is not multipart/related of application/dicom (415) or the body
     *                            has no boundary or no first delimiter (400); nothing is stored then
     */
    public StowResponse ingest(InputStream body, String contentType, String studyUid, Sender sender)
            throws StowRequestRefused, IOException {
        StowMediaType type = StowMediaType.parse(contentType);
        if (!type.isDicomMultipart())
            throw new StowRequestRefused(415, "Content-Type must be multipart/related; type=\"application/dicom\", not '"
                    + printable(contentType) + "'");
        String boundary = type.parameter("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70)
            throw new StowRequestRefused(400, "Content-Type names no multipart boundary (1 to 70 characters)");
        long request = REQUESTS.incrementAndGet();
        long started = System.nanoTime();
        MultipartReader reader = new MultipartReader(body, boundary);
        StowResponse response = new StowResponse();
        long bytes = 0;
        MultipartReader.Part part;
        try {
            part = reader.next();
        } catch (MalformedMultipartException e) {
            throw new StowRequestRefused(400, e.getMessage());
        }
        Files.createDirectories(incoming);
        // One part is stored (checks, fsync, commit) while the next is received: the network and the disk work at once.
        // Parts are stored one at a time, in order, so the outcomes keep the parts' order.
        Future<PartResult> storing = null;
        try (ExecutorService storer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("stow-store-" + request).factory())) {
            while (part != null) {
                Received received = receive(request, part, sender);
                if (storing != null) bytes += add(response, await(storing));
                storing = null;
                if (received.refused() != null) {
                    bytes += add(response, received.refused());
                    if (received.refused().truncated()) break;
                } else {
                    storing = storer.submit(() -> finish(request, received, studyUid, sender));
                }
                try {
                    part = reader.next();
                } catch (MalformedMultipartException e) {
                    // the parts read so far stand; what follows cannot be told apart
                    if (storing != null) bytes += add(response, await(storing));
                    storing = null;
                    int next = response.outcomes().size() + 1;
                    response.add(StowResponse.Outcome.failed(next, null, null, DimseStatus.CANNOT_UNDERSTAND, e.getMessage()));
                    LOG.partRefused(request, next, sender.user(), DimseStatus.toHex(DimseStatus.CANNOT_UNDERSTAND), e.getMessage());
                    break;
                }
            }
            if (storing != null) bytes += add(response, await(storing));
        }
        if (reader.endedEarly()) LOG.endedEarly(request, sender.user(), response.outcomes().size());
        if (response.outcomes().isEmpty()) throw new StowRequestRefused(400, "the multipart body holds no part");
        LOG.requestDone(request, sender.user(), sender.callingAeTitle(), response.outcomes().size(), response.storedCount(),
                response.outcomes().size() - response.storedCount(), bytes, (System.nanoTime() - started) / 1_000_000);
        return response;
    }

    private record PartResult(StowResponse.Outcome outcome, long bytes, boolean truncated) {}

    /** A part written to {@code file} ({@code size} bytes, -1: over the limit), or refused before it was kept. */
    private record Received(int number, Path file, long size, PartResult refused) {}

    private long add(StowResponse response, PartResult result) {
        response.add(result.outcome());
        count(result.outcome().isStored() ? "stored" : "refused");
        return result.bytes();
    }

    private static PartResult await(Future<PartResult> storing) throws IOException {
        try {
            return storing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while a STOW-RS part was stored");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        }
    }

    /** Streams the part to the incoming folder, unless its type or the free disk space refuses it first. */
    private Received receive(long request, MultipartReader.Part part, Sender sender) throws IOException {
        int n = part.number();
        String partType = part.header("content-type");
        if (partType != null && !StowMediaType.parse(partType).isDicom())
            return new Received(n, null, 0, refused(request, n, sender, null, null, DimseStatus.CANNOT_UNDERSTAND,
                    "part is " + printable(partType) + ", not application/dicom", 0, false));
        String low = diskLow();
        if (low != null) return new Received(n, null, 0, refused(request, n, sender, null, null, OUT_OF_RESOURCES, low, 0, false));
        Path file = incoming.resolve("stow-" + request + "-" + n + ".dcm");
        try {
            return new Received(n, file, copyBounded(part.body(), file), null);
        } catch (TruncatedPartException e) {
            Files.deleteIfExists(file);
            return new Received(n, null, 0, refused(request, n, sender, null, null, DimseStatus.CANNOT_UNDERSTAND, e.getMessage(), 0, true));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Checks and stores a received part; its incoming file is gone afterwards. */
    private PartResult finish(long request, Received received, String studyUid, Sender sender) throws IOException {
        int n = received.number();
        Path file = received.file();
        long size = received.size();
        try {
            bytesReceived.increment(Math.max(size, 0));
            if (size < 0)
                return refused(request, n, sender, null, null, OUT_OF_RESOURCES, "instance larger than the limit of "
                        + maxInstanceSize + " bytes (seg-gateway.scp.limits.max-instance-size)", 0, false);
            if (!isPart10(file))
                return refused(request, n, sender, null, null, DimseStatus.CANNOT_UNDERSTAND,
                        "not a DICOM Part 10 file (no DICM prefix after the 128-byte preamble)", size, false);
            return store(request, n, file, size, studyUid, sender);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private PartResult store(long request, int n, Path file, long size, String studyUid, Sender sender) throws IOException {
        String sopClass = null, sop = null;
        try {
            DicomHeader header = DicomHeader.read(file);
            sopClass = header.string("SOPClassUID");
            sop = header.string("SOPInstanceUID");
            if (studyUid != null && !studyUid.equals(header.string("StudyInstanceUID")))
                return refused(request, n, sender, sopClass, sop, DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                        "instance of another study than the request's path names", size, false);
            ReceivedInstance received = new ReceivedInstance(file, null, null, header.string("TransferSyntaxUID"),
                    sender.callingAeTitle(), sender.address(), request);
            StoreOutcome outcome = store.store(received, InstanceStore.Origin.stowRs(sender.user(), request));
            return new PartResult(StowResponse.Outcome.stored(n, sopClass, sop), size, false);
        } catch (InvalidInstanceException e) {
            return refused(request, n, sender, sopClass, sop, IngestHandler.status(e.problem()), e.getMessage(), size, false);
        } catch (IOException e) {
            if (sop == null)
                return refused(request, n, sender, null, null, DimseStatus.CANNOT_UNDERSTAND,
                        "DICOM data set cannot be read: " + e.getMessage(), size, false);
            LOG.cannotStore(e, request, n, sender.user(), e.toString());
            return new PartResult(StowResponse.Outcome.failed(n, sopClass, sop, PROCESSING_FAILURE, e.toString()), size, false);
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.cannotStore(e, request, n, sender.user(), e.toString());
            return new PartResult(StowResponse.Outcome.failed(n, sopClass, sop, PROCESSING_FAILURE, e.toString()), size, false);
        }
    }

    private PartResult refused(long request, int n, Sender sender, String sopClass, String sop, int reason, String why,
                               long size, boolean truncated) {
        LOG.partRefused(request, n, sender.user(), DimseStatus.toHex(reason), why);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", DimseStatus.toHex(reason));
        details.put("reason", why);
        details.put("via", "stow-rs");
        details.put("stowRequestId", request);
        details.put("part", n);
        details.put("callingAeTitle", sender.callingAeTitle());
        if (sop != null && !sop.isEmpty()) details.put("sopInstanceUid", sop);
        try {
            audit.append(new AuditEvent("dicom.store", sender.user(), host(sender.address()), null, "refused", details));
        } catch (Exception e) {
            LOG.cannotStore(e, request, n, sender.user(), "refusal not audited: " + e);
        }
        return new PartResult(StowResponse.Outcome.failed(n, sopClass, sop, reason, why), size, truncated);
    }

    /** Copies the part to {@code file}; -1 (and nothing kept) once it passes the size limit, the rest left unread. */
    private long copyBounded(InputStream in, Path file) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int r; (r = in.read(buffer)) >= 0; ) {
                total += r;
                if (total > maxInstanceSize) {
                    out.close();
                    Files.deleteIfExists(file);
                    return -1;
                }
                out.write(buffer, 0, r);
            }
        }
        return total;
    }

    private static boolean isPart10(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
        }
    }

    /** Null while the spool's file system has the floor free; else why not. */
    private String diskLow() {
        if (minFreeDisk == 0) return null;
        try {
            long free = Files.getFileStore(incoming).getUsableSpace();
            return free < minFreeDisk ? "disk space low: " + (free >> 20) + " MiB free, floor " + (minFreeDisk >> 20)
                    + " MiB (seg-gateway.scp.limits.min-free-disk)" : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void count(String outcome) {
        Counter.builder("seggateway.stow.instances.received").description("Instances received by STOW-RS, by outcome")
                .tag("outcome", outcome.toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    private static String host(InetSocketAddress address) {
        if (address == null) return null;
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }

    static String printable(String s) {
        if (s == null) return "";
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
