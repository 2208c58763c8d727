package org.seggateway.gateway.ingest;

import static org.seggateway.gateway.ingest.IngestLog.LOG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.database.StatementChain;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.logging.LogContext;

/**
 * Group commit of received instances: one thread takes every store waiting (from any number of associations and
 * STOW-RS requests, at most {@link #MAX_BATCH}) and commits them in one transaction, so concurrent senders share the
 * WAL flush, the fsync of a series folder and the audit chain's lock instead of queueing on them one commit at a
 * time. An instance arrives with the fsync of its file under way (the batch waits for it before the commit); in the transaction, under every instance's {@link SopLock}
 * and the audit chain's lock (taken together, in one statement, then the versions and the chain's head read in
 * another, both sent in one round trip), each gets its version and a hard link at its spool path, the rows and the
 * chained audit entries go in one more round trip while the folders are fsynced once each, and once the files' fsyncs
 * are done too the commit makes them all durable at once before any caller returns.
 *
 * <p>When a batch of several fails before its commit, its placed links are removed (the received files are still
 * there) and each instance is stored again alone, so only an instance that fails by itself fails, with its own
 * exception. A failed commit fails the whole batch without a retry, since it may have happened: the
 * links are left for the orphan sweep and the senders, answered with no Success, send again (a committed instance is
 * then a duplicate). The thread keeps one database handle open between batches and opens another after a failure.
 */
final class IngestCommitter implements AutoCloseable {
    /** The most instances one transaction commits. */
    static final int MAX_BATCH = 64;

    /**
     * One store waiting: an instance whose header was read and checked and whose data set was hashed, with the fsync of
     * its file, which may still be running ({@code fileSynced}: the batch waits for it before its commit).
     */
    record Request(ReceivedInstance received, ReceivedHeader read, InstanceStore.Origin origin, String sha256, long size,
                   CompletableFuture<Void> fileSynced, CompletableFuture<StoreOutcome> outcome) {
        Request(ReceivedInstance received, ReceivedHeader read, InstanceStore.Origin origin, String sha256, long size,
                CompletableFuture<Void> fileSynced) {
            this(received, read, origin, sha256, size, fileSynced, new CompletableFuture<>());
        }
    }

    /** Runs the fsync of the batch's folders beside its inserts. */
    private static final Executor FSYNC = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ingest-folder-fsync-", 0).factory());

    private final Transactions transactions;
    private final InstanceRepository instances;
    private final Spool spool;
    private final AuditTrail audit;
    private final BiFunction<Request, StoreOutcome, AuditEvent> auditEvent;
    private final LinkedBlockingQueue<Request> waiting = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private Handle handle;   // used by the committer's thread only

    IngestCommitter(Transactions transactions, InstanceRepository instances, Spool spool,
                    AuditTrail audit, BiFunction<Request, StoreOutcome, AuditEvent> auditEvent) {
        this.transactions = transactions;
        this.instances = instances;
        this.spool = spool;
        this.audit = audit;
        this.auditEvent = auditEvent;
        this.thread = Thread.ofPlatform().name("ingest-committer").daemon().start(this::run);
    }

    /** Commits {@code request} with whatever else is waiting; returns once it is durable, or throws what its store threw. */
    StoreOutcome commit(Request request) throws IOException, SQLException, InterruptedException {
        if (closed) throw new IOException("the gateway is stopping: instance not stored");
        waiting.add(request);
        if (closed && waiting.remove(request)) throw new IOException("the gateway is stopping: instance not stored"); // close() drained already
        try {
            return request.outcome().get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case SQLException sql -> throw sql;
                case RuntimeException re -> throw re;
                case Error error -> throw error;
                default -> throw new IllegalStateException("unexpected from a batch commit: " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        for (Request r; (r = waiting.poll()) != null; ) r.outcome().completeExceptionally(new IOException("the gateway is stopping"));
    }

    private void run() {
        try {
            commitUntilClosed();
        } finally {
            dropHandle();
        }
    }

    private void commitUntilClosed() {
        List<Request> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(waiting.take());
                waiting.drainTo(batch, MAX_BATCH - 1);
                commitBatch(batch);
            } catch (InterruptedException e) {
                if (closed) break;
            } catch (Throwable t) {
                for (Request r : batch) r.outcome().completeExceptionally(t);
            } finally {
                batch.clear();
            }
        }
    }

    private void commitBatch(List<Request> batch) {
        Attempt attempt = new Attempt();
        Map<Request, StoreOutcome> outcomes;
        try {
            outcomes = SpoolTransaction.run(handle(), h -> {
                Map<Request, StoreOutcome> done = store(h, batch, attempt);
                attempt.committing = true;
                return done;
            });
        } catch (Exception e) {
            dropHandle();   // its connection may be broken: the next batch opens another
            if (attempt.committing) {   // the commit may have happened: the links stay for the orphan sweep
                for (Request r : batch) r.outcome().completeExceptionally(e);
                return;
            }
            for (Path placed : attempt.placed) Spool.deleteQuietly(placed);
            if (batch.size() == 1) {
                batch.getFirst().outcome().completeExceptionally(e);
                return;
            }
            for (Request r : batch) commitBatch(List.of(r));   // only an instance that fails alone fails
            return;
        }
        for (Request r : batch) {
            try {
                Files.deleteIfExists(r.received().file());   // linked at its spool path, or a duplicate
            } catch (IOException ignored) {
                // an incoming file: its receiver deletes it after the store, or clears the folder at start
            }
            r.outcome().complete(outcomes.get(r));
        }
    }

    /** The committer's own handle, kept open between batches (opening one per batch cost about 0.5 ms). */
    private Handle handle() {
        if (handle == null) handle = transactions.open();
        return handle;
    }

    private void dropHandle() {
        if (handle == null) return;
        try {
            handle.close();
        } catch (RuntimeException ignored) {
            // a broken connection: the pool discards it
        }
        handle = null;
    }

    /** The links one batch transaction placed, and whether it went on to commit. */
    private static final class Attempt {
        final List<Path> placed = new ArrayList<>();
        boolean committing;
    }

    private Map<Request, StoreOutcome> store(Handle h, List<Request> batch, Attempt attempt) throws IOException, SQLException {
        Set<String> sops = new TreeSet<>();   // one order for every batch: two batches never wait on each other's locks in a cycle
        for (Request r : batch) sops.add(r.read().sopUid());
        InstanceRepository.VersionsAnd read = instances.lockAndReadVersions(h, List.copyOf(sops));
        Map<String, List<InstanceRepository.StoredVersion>> versions = new HashMap<>();
        for (InstanceRepository.StoredVersion v : read.versions())
            versions.computeIfAbsent(v.sopInstanceUid(), k -> new ArrayList<>()).add(v);

        Map<Request, StoreOutcome> outcomes = new LinkedHashMap<>();
        Set<Path> folders = new LinkedHashSet<>();
        List<AuditEvent> entries = new ArrayList<>();
        StatementChain inserts = new StatementChain();
        Instant now = Instant.now();
        for (Request r : batch) {
            List<InstanceRepository.StoredVersion> stored = versions.computeIfAbsent(r.read().sopUid(), k -> new ArrayList<>());
            StoreOutcome outcome = place(inserts, r, stored, now, attempt, folders);
            outcomes.put(r, outcome);
            entries.add(auditEvent.apply(r, outcome));
        }
        audit.appendAllAfter(inserts, read.extra(), entries);
        // the folders' fsync runs while the rows and audit entries are inserted (one round trip); both end before the
        // commit, which goes apart: with the commit in the inserts' round trip the folder fsync could not run beside it
        CompletableFuture<Void> foldersSynced = CompletableFuture.runAsync(() -> {
            try {
                for (Path folder : folders) Spool.force(folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, FSYNC);
        try {
            inserts.execute(h);
        } finally {
            join(foldersSynced);
        }
        for (Request r : batch) join(r.fileSynced());   // every file durable before the commit names it
        return outcomes;
    }

    /** Waits for an fsync; throws its failure. */
    private static void join(CompletableFuture<Void> fsync) throws IOException {
        try {
            fsync.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            throw e;
        }
    }

    /**
     * The version of one instance after {@code stored} (those committed and those of this batch, updated here): a
     * duplicate of one of them, or a new version with its rows and its link at the spool path (the folder is fsynced by
     * the caller).
     */
    private StoreOutcome place(StatementChain inserts, Request r, List<InstanceRepository.StoredVersion> stored, Instant now, Attempt attempt,
                               Set<Path> folders) throws IOException {
        ReceivedHeader read = r.read();
        int lastVersion = 0;
        for (InstanceRepository.StoredVersion v : stored) {
            if (v.sha256().equals(r.sha256())) return StoreOutcome.DUPLICATE;
            lastVersion = v.version();
        }
        DicomHeader header = read.header();
        int version = lastVersion + 1;
        Path target = spool.instancePath(read.studyUid(), read.seriesUid(), read.sopUid(), version);
        instances.insertRecordingSeries(inserts, read.seriesUid(), read.studyUid(), r.received(), header, read.sopUid(), version,
                r.sha256(), r.size(), target, now);
        // createDirectories would throw and catch an exception for a folder that exists, the usual case
        if (folders.add(target.getParent()) && !Files.isDirectory(target.getParent())) Files.createDirectories(target.getParent());
        spool.linkNew(r.received().file(), target);
        attempt.placed.add(target);
        stored.add(new InstanceRepository.StoredVersion(read.sopUid(), version, r.sha256(), target));
        if (version > 1) {
            try (LogContext context = LogContext.with(LogContext.SERIES_UID, read.seriesUid())) {
                LOG.instanceChanged(read.sopUid(), read.seriesUid(), version);
            }
        }
        return version == 1 ? StoreOutcome.STORED : StoreOutcome.NEW_VERSION;
    }
}
