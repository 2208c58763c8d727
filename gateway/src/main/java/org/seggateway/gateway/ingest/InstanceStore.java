package org.seggateway.gateway.ingest;

import static org.seggateway.gateway.ingest.IngestLog.LOG;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.logging.LogContext;

/**
 * Makes a received instance durable before the C-STORE response: the file is fsynced, linked into the spool
 * (its folder fsynced) and its row committed with its series row and its audit entry, by the {@link IngestCommitter},
 * which commits the instances of concurrent senders together. The instance's {@link SopLock} is held from
 * reading its rows to the commit, so concurrent stores of one SOP Instance UID take versions one after the other, and
 * a spool file is never replaced: one that a committed row names stays as it is. Throws
 * {@link InvalidInstanceException} for an instance that must not be kept as is (the listener answers with a failure
 * status), anything else when it cannot store now (the listener aborts the association so that the sender keeps the
 * instance and retries).
 */
@ApplicationScoped
public class InstanceStore {
    /** Runs the fsync of received files beside the checks and the hash (blocking file I/O: a thread each). */
    private static final Executor FSYNC = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ingest-fsync-", 0).factory());

    private final Spool spool;
    private final IngestCommitter committer;

    InstanceStore(Transactions transactions, InstanceRepository instances, GatewayConfig config, AuditTrail audit) {
        this.spool = new Spool(config.spool());
        this.committer = new IngestCommitter(transactions, instances, spool, audit, InstanceStore::stored);
    }

    public Spool spool() {
        return spool;
    }

    public StoreOutcome store(ReceivedInstance received) throws IOException, SQLException {
        return store(received, Origin.dimse(received));
    }

    /**
     * Who sent an instance, for its audit row: the calling AE title of a C-STORE, or the API user of a STOW-RS request
     * (whose instance carries, as its calling AE title, the AE title configured for that user).
     */
    public record Origin(String actor, Map<String, Object> details) {
        static Origin dimse(ReceivedInstance received) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("associationId", received.associationId());
            return new Origin(received.callingAeTitle(), details);
        }

        public static Origin stowRs(String user, long requestId) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("via", "stow-rs");
            details.put("stowRequestId", requestId);
            return new Origin(user, details);
        }
    }

    /** {@link #store(ReceivedInstance)} of an instance whose sender {@code origin} names. */
    public StoreOutcome store(ReceivedInstance received, Origin origin) throws IOException, SQLException {
        ReceivedHeader read = ReceivedHeader.read(received);
        try (LogContext context = LogContext.with(LogContext.SERIES_UID, read.seriesUid())) {
            return store(received, read, origin);
        }
    }

    private StoreOutcome store(ReceivedInstance received, ReceivedHeader read, Origin origin) throws IOException, SQLException {
        // the fsync of the received file runs while the header is checked (and the data set hashed, unless the
        // receiver hashed it while writing it) and the batch prepared
        CompletableFuture<Void> synced = CompletableFuture.runAsync(() -> {
            try {
                Spool.force(received.file());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, FSYNC);
        DicomHeader header = read.header();
        String sop = read.sopUid(), series = read.seriesUid();
        String sha256;
        long size;
        try {
            ReceivedInstanceChecks.check(received, header, sop, series);
            sha256 = received.dataSetSha256() != null ? received.dataSetSha256() : DataSetDigest.sha256(received.file());
            size = Files.size(received.file());
        } catch (IOException | RuntimeException e) {
            awaitQuietly(synced);   // the receiver deletes the file once this returns
            throw e;
        }
        StoreOutcome outcome;
        try {
            outcome = committer.commit(new IngestCommitter.Request(received, read, origin, sha256, size, synced));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while instance " + sop + " was being committed", e);
        }
        LOG.instanceStored(outcome, sop, series, received.callingAeTitle());
        return outcome;
    }

    /** Waits for {@code f} to end however it ends (its failure does not matter to a store that failed already). */
    private static void awaitQuietly(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (RuntimeException ignored) {
            // seen by the caller's join
        }
    }

    @PreDestroy
    void close() {
        committer.close();
    }

    private static AuditEvent stored(IngestCommitter.Request r, StoreOutcome outcome) {
        return stored(r.received(), r.origin(), outcome, r.read().studyUid(), r.read().seriesUid(), r.read().sopUid(),
                r.read().header().string("SOPClassUID"), r.size());
    }

    private static AuditEvent stored(ReceivedInstance received, Origin origin, StoreOutcome outcome, String study,
                                     String series, String sop, String sopClass, long size) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sopInstanceUid", sop);
        details.put("seriesInstanceUid", series);
        details.put("sopClassUid", sopClass);
        details.put("bytes", size);
        details.putAll(origin.details());
        if (!origin.actor().equals(received.callingAeTitle())) details.put("callingAeTitle", received.callingAeTitle());
        String address = received.remoteAddress() == null || received.remoteAddress().getAddress() == null ? null
                : received.remoteAddress().getAddress().getHostAddress();
        return new AuditEvent("dicom.store", origin.actor(), address, study,
                outcome.name().toLowerCase(java.util.Locale.ROOT), details);
    }
}
