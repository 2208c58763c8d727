package org.seggateway.inference.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.MDC;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.inference.queue.ExecutionDevice;
import org.seggateway.inference.queue.JobHeader;
import org.seggateway.inference.queue.JobStarted;
import org.seggateway.inference.queue.QueueRecords;
import org.seggateway.inference.queue.ResultHeader;
import org.seggateway.inference.queue.ResultSignature;
import org.seggateway.inference.queue.Topics;
import org.seggateway.inference.queue.VoxelChunks;

/**
 * Consumes jobs from {@link Topics#JOBS} ({@code read_committed}), reassembles each volume, runs it and
 * publishes the label map to {@link Topics#RESULTS} (in the job's {@link JobHeader#resultEncoding()}) in a consume-transform-produce transaction: the result
 * and the consumed offsets commit together. A job that fails {@code attempts} times goes to
 * {@link Topics#JOBS_DLQ} with its error, in the same kind of transaction (a job for a model the worker does
 * not hold goes there after one attempt). A worker that dies mid-job
 * leaves its offsets uncommitted, so another worker (or itself, restarted) runs the job again.
 * Before each attempt it tells the gateway that the job has begun ({@link JobStarted} on {@link Topics#RESULTS},
 * a transaction of its own).
 *
 * <p>Memory: the jobs held at one time (being reassembled or run) stay within {@link WorkerSettings#memoryBudget()},
 * judged from each job's header before its voxel array is allocated ({@link MemoryBudget}): a job that cannot fit
 * even alone goes to {@link Topics#JOBS_DLQ} at once with the reason; one that fits alone waits, its partition paused,
 * until a held job is finished.
 *
 * <p><b>A job that kills its worker</b> (out of memory, a native crash, SIGKILL) would be run again by every worker
 * for ever, since a dead worker commits nothing. So the start transaction also commits the partition's offset, held at
 * the job's first record, with a count of the job's deliveries in the offset's metadata ({@link DeliveryCounts}): the
 * count is Kafka's, committed atomically with the {@code started} record, and read back by whichever worker of the
 * group gets the partition next. A job delivered {@code maxDeliveries} times without an answer is not run again: the
 * worker sends it to {@link Topics#JOBS_DLQ} ("worker crashed N times on this job") and commits past it, and the
 * jobs behind it go on. Why this design: the count lives where the redelivery happens (the group's offsets), needs no
 * extra topic or store, costs no extra round trip (the start is sent anyway), and neither a gateway that is down nor
 * a cancel marker that lies behind the poison job in the partition (a worker would crash before reading it) can stop
 * it from working. The gateway counts the same starts ({@code jobs.worker_starts}) as a second line.
 *
 * <p><b>Bad records:</b> a job record that cannot be read (unparsable header, impossible geometry, a chunk that does not
 * fit) is dead-lettered with the reason and committed past; the worker goes on. <b>Errors</b> ({@link OutOfMemoryError},
 * {@link StackOverflowError}) thrown by a job stop the worker: nothing of the job is committed, {@link #run} rethrows,
 * and the process should exit for its supervisor to restart it (a JVM after an OOM is not to be trusted); the
 * delivery count above then ends the job's redelivery.
 */
public final class InferenceWorker implements Runnable, AutoCloseable {
    private static final WorkerLog LOG = WorkerLog.LOG;
    /** The MDC key of the job in hand: the gateway's {@code LogContext.JOB_ID}, so that both log the same field. */
    private static final String JOB_ID = "jobId";

    private final WorkerSettings settings;
    private final JobRunner runner;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, PendingJob> pending = new LinkedHashMap<>();
    private final MemoryBudget memory;
    /** Partitions paused at the header of a job that waits for memory: the offset to read again from. */
    private final Map<TopicPartition, Long> waiting = new HashMap<>();
    /** Deliveries per job, by partition, as committed in the offsets' metadata. */
    private final Map<TopicPartition, DeliveryCounts> deliveries = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile long jobsDone, jobsFailed;

    private static final class PendingJob {
        final JobHeader header;
        final TopicPartition partition;
        final long firstOffset;
        final VoxelChunks.VolumeAssembly assembly;
        final long reservedBytes;
        /** When its header was read: the job's {@code fetch} stage runs from here to its last chunk. */
        final long headerRead = System.nanoTime();

        PendingJob(JobHeader header, TopicPartition partition, long firstOffset, long reservedBytes) {
            this.header = header;
            this.partition = partition;
            this.firstOffset = firstOffset;
            this.reservedBytes = reservedBytes;
            this.assembly = new VoxelChunks.VolumeAssembly(header.geometry(), header.voxelType(), header.chunkCount(),
                    header.encoding());
        }
    }

    public InferenceWorker(WorkerSettings settings, JobRunner runner) {
        this.settings = settings;
        this.runner = runner;
        this.memory = new MemoryBudget(settings.memoryBudget());
        this.consumer = new KafkaConsumer<>(settings.consumer(), new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(settings.producer(), new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void run() {
        producer.initTransactions();
        consumer.subscribe(List.of(Topics.JOBS), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                pending.values().removeIf(job -> {
                    if (!partitions.contains(job.partition)) return false;
                    memory.release(job.reservedBytes);
                    return true;
                });
                waiting.keySet().removeAll(partitions);
                deliveries.keySet().removeAll(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (partitions.isEmpty()) return;
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
                for (TopicPartition p : partitions) {
                    OffsetAndMetadata o = committed.get(p);
                    deliveries.put(p, DeliveryCounts.parse(o == null ? null : o.metadata()));
                }
            }
        });
        LOG.consuming(settings.workerId(), Topics.JOBS, settings.bootstrapServers());
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) acceptInContext(record);
            }
        } catch (WakeupException e) {
            if (running.get()) throw e;
        } catch (Error e) {
            LOG.stopsOnError(settings.workerId(), e, settings.maxDeliveries(), e);
            throw e;
        } finally {
            consumer.close();
            producer.close();
        }
    }

    /** Number of jobs answered with a label map, and sent to the dead-letter topic, since start. */
    public long jobsDone() {
        return jobsDone;
    }

    public long jobsFailed() {
        return jobsFailed;
    }

    @Override
    public void close() {
        if (running.compareAndSet(true, false)) consumer.wakeup(); // once: the loop may have closed the consumer already
    }

    /** {@link #accept} with the record's job id in the MDC. */
    private void acceptInContext(ConsumerRecord<String, byte[]> record) {
        if (record.key() != null) MDC.put(JOB_ID, record.key());
        try {
            acceptIsolated(record);
        } finally {
            MDC.remove(JOB_ID);
        }
    }

    /** {@link #accept}, with a record that cannot be read dead-lettered (its job failed at the gateway) and skipped. */
    private void acceptIsolated(ConsumerRecord<String, byte[]> record) {
        try {
            accept(record);
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            String id = record.key() == null ? "" : record.key();
            PendingJob known = pending.remove(id);
            if (known != null) memory.release(known.reservedBytes);
            String error = "job record " + partition + "@" + record.offset() + " unreadable: " + e;
            LOG.recordUnreadable(id, error, e);
            ResultHeader unread = ResultHeader.failed(id, settings.workerId(), 0, error);
            // signed when the job's header was read, so that the gateway fails the job; else the gateway's timeout does
            ResultHeader failed = known == null ? unread : signed(known.header, unread);
            commit(partition, record.offset(), sink -> sink.accept(QueueRecords.headerRecord(Topics.JOBS_DLQ, id, failed)));
            jobsFailed++;
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (waiting.containsKey(partition)) return; // read again from the waiting job's header once memory is freed
        if (QueueRecords.isHeader(record)) {
            JobHeader header = QueueRecords.parseHeader(record, JobHeader.class);
            long bytes = runner.peakBytes(header);
            MemoryBudget.Decision decision = memory.reserve(bytes);
            if (decision == MemoryBudget.Decision.WAIT && pending.values().stream().anyMatch(j -> j.partition.equals(partition))) {
                // a held job's chunks follow in this very partition (two producers interleaved): pausing it would stall that
                // job for ever, so this one is taken beyond the budget
                memory.force(bytes);
                decision = MemoryBudget.Decision.TAKE;
            }
            switch (decision) {
                case TAKE -> {
                    try {
                        pending.put(header.jobId(), new PendingJob(header, partition, record.offset(), bytes));
                    } catch (RuntimeException e) { // impossible geometry: dead-lettered by acceptIsolated
                        memory.release(bytes);
                        throw e;
                    }
                }
                case WAIT -> {
                    waiting.put(partition, record.offset());
                    consumer.pause(List.of(partition));
                    consumer.seek(partition, record.offset());
                    LOG.waitsForMemory(header.jobId(), bytes, memory.reserved(), memory.limit());
                    return;
                }
                case REFUSE -> {
                    refuse(header, partition, record.offset(), bytes);
                    return;
                }
            }
        } else {
            PendingJob job = pending.get(record.key());
            if (job == null) {
                // the header was before our committed offset: the job was finished and committed already
                LOG.chunkOfUnknownJob(record.key(), partition, record.offset());
                return;
            }
            job.assembly.accept(QueueRecords.chunkIndex(record), record.value());
        }
        PendingJob job = pending.get(record.key());
        if (job != null && job.assembly.complete()) {
            pending.remove(record.key());
            try {
                finish(job, record.offset());
            } finally {
                memory.release(job.reservedBytes);
                resumeWaiting();
            }
        }
    }

    /** A job too big for this worker's memory budget goes to the dead-letter topic at once, with the reason. */
    private void refuse(JobHeader header, TopicPartition partition, long offset, long bytes) {
        var g = header.geometry();
        String error = memory.refusal(g.width() + "x" + g.height() + "x" + g.depth() + " " + header.voxelType(), bytes);
        LOG.refusedForMemory(header.jobId(), error);
        ResultHeader failed = signed(header, ResultHeader.failed(header.jobId(), settings.workerId(), 0, error));
        // past the header only: the job's chunks that follow are skipped as chunks of an unknown job
        commit(partition, offset, sink -> sink.accept(QueueRecords.headerRecord(Topics.JOBS_DLQ, header.jobId(), failed)));
        jobsFailed++;
    }

    /** Partitions paused for memory are read again from their waiting job's header. */
    private void resumeWaiting() {
        if (waiting.isEmpty()) return;
        consumer.resume(waiting.keySet());
        waiting.clear();
    }

    private void finish(PendingJob job, long lastOffset) {
        String id = job.header.jobId();
        DeliveryCounts counts = deliveries.computeIfAbsent(job.partition, p -> new DeliveryCounts());
        int delivered = counts.of(id);
        if (delivered >= settings.maxDeliveries()) {
            String error = "worker crashed " + delivered + " times on this job (" + delivered + " deliveries without a result);"
                    + " dead-lettered without running it again";
            LOG.poisonJob(id, error);
            counts.remove(id);
            ResultHeader failed = signed(job.header, ResultHeader.failed(id, settings.workerId(), delivered, error));
            commit(job.partition, lastOffset, sink -> sink.accept(QueueRecords.headerRecord(Topics.JOBS_DLQ, id, failed)));
            jobsFailed++;
            return;
        }
        counts.set(id, delivered + 1);
        double fetch = Math.round((System.nanoTime() - job.headerRead) / 1e6) / 1e3;
        Exception lastError = null;
        int attempts = 0;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            attempts = attempt;
            Map<String, Double> seconds = new HashMap<>();
            seconds.put("fetch", fetch);
            announceStart(job, attempt);
            try {
                long start = System.nanoTime();
                LabelMap labels = runner.run(job.header, job.assembly.toVolume(id), seconds);
                seconds.putIfAbsent("total", (System.nanoTime() - start) / 1e9);
                checkGrid(job.header, labels);
                int chunks = VoxelChunks.chunkCount(labels.labels().length);
                counts.remove(id);
                ResultHeader done = signed(job.header, ResultHeader.done(id, settings.workerId(), labels.labels().length, chunks, seconds)
                        .withLabelsSha256(ResultSignature.labelsSha256(labels.labels())).withEncoding(job.header.resultEncoding()));
                commit(job.partition, lastOffset, sink -> QueueRecords.resultRecords(done, labels, sink));
                jobsDone++;
                LOG.done(id, seconds);
                return;
            } catch (Exception e) {
                lastError = e;
                LOG.attemptFailed(id, attempt, settings.attempts(), e);
                if (e instanceof ModelCatalog.UnknownModelException) break; // another attempt cannot find it either
            }
        }
        String error = lastError.getClass().getSimpleName() + ": " + lastError.getMessage();
        int tried = attempts;
        counts.remove(id);
        ResultHeader failed = signed(job.header, ResultHeader.failed(id, settings.workerId(), tried, error));
        commit(job.partition, lastOffset, sink -> sink.accept(QueueRecords.headerRecord(Topics.JOBS_DLQ, id, failed)));
        jobsFailed++;
    }

    /** The answer signed with the job's key, so that the gateway can tell it from a forged one; unsigned for a job without one. */
    private static ResultHeader signed(JobHeader job, ResultHeader answer) {
        return job.resultKey() == null ? answer : ResultSignature.sign(answer, job.resultKey());
    }

    /**
     * Sends the job's start and, in the same transaction, commits the partition's offset at the job's first record with
     * the delivery counts. A start that cannot be sent is logged, not fatal: the job's result matters more.
     */
    private void announceStart(PendingJob job, int attempt) {
        String jobId = job.header.jobId();
        try {
            producer.beginTransaction();
            producer.send(QueueRecords.startedRecord(JobStarted.now(jobId, settings.workerId(), attempt, device(job.header))));
            producer.sendOffsetsToTransaction(Map.of(job.partition, new OffsetAndMetadata(safeOffset(job.partition, job.firstOffset),
                    deliveries.get(job.partition).encode())), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (KafkaException e) {
            LOG.startNotAnnounced(jobId, e);
            try {
                producer.abortTransaction();
            } catch (KafkaException abort) {
                e.addSuppressed(abort);
            }
        }
    }

    /** Where the job will run; null when the runner cannot tell (its model does not open: the run reports that). */
    private ExecutionDevice device(JobHeader header) {
        try {
            return runner.device(header);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Sends {@code output} and commits the partition past {@code lastOffset} (see {@link #safeOffset}) in one transaction. */
    private void commit(TopicPartition partition, long lastOffset, Consumer<Consumer<ProducerRecord<String, byte[]>>> output) {
        producer.beginTransaction();
        try {
            output.accept(producer::send);
            DeliveryCounts counts = deliveries.get(partition);
            producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(safeOffset(partition, lastOffset + 1),
                    counts == null ? null : counts.encode())), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    /** Never commit past the header of a job still being reassembled in the same partition. */
    private long safeOffset(TopicPartition partition, long next) {
        long safe = pending.values().stream().filter(j -> j.partition.equals(partition))
                .mapToLong(j -> j.firstOffset).min().stream().map(first -> Math.min(first, next)).findFirst().orElse(next);
        Long waitingHeader = waiting.get(partition);
        return waitingHeader == null ? safe : Math.min(safe, waitingHeader);
    }

    private static void checkGrid(JobHeader job, LabelMap labels) {
        var g = job.geometry();
        if (labels.width() != g.width() || labels.height() != g.height() || labels.depth() != g.depth())
            throw new IllegalStateException("label map " + labels.width() + "x" + labels.height() + "x" + labels.depth()
                    + " does not match the job grid " + g.width() + "x" + g.height() + "x" + g.depth());
    }
}
