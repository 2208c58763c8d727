package org.seggateway.gateway.results;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.queue.KafkaClients;
import org.seggateway.gateway.queue.TopicSetup;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.gateway.work.LoopErrors;
import org.seggateway.inference.queue.JobStarted;
import org.seggateway.inference.queue.QueueRecords;
import org.seggateway.inference.queue.ResultHeader;
import org.seggateway.inference.queue.Topics;
import org.seggateway.inference.queue.VoxelChunks;

/**
 * Consumes {@code seg.results} and {@code seg.jobs.dlq} ({@code read_committed}, its own group) on its own
 * thread, reassembles each label map and hands it to the {@link ResultHandler}, which reads the job's source volume for
 * the measurements while the label map's chunks arrive. Offsets are committed only
 * after the handler's database commit, and never past the header of a label map still being reassembled:
 * after a crash the result is read again, and the handler, idempotent by job id, does nothing twice. When
 * the handler cannot work (database down) the consumer starts over from the committed offsets. A worker's note that
 * it began a job (a record of kind {@code started} on {@code seg.results}) goes to the {@link JobStartHandler}.
 *
 * <p>Poison isolation: a record whose handling throws anything but a database or Kafka failure (an unexpected
 * exception building the SEG, a label map too large for the heap...) fails its job alone, with the reason and a
 * {@code job.failed} audit row, its offset is committed, and the consumer goes on with the next record; errors among
 * these are also counted in {@code seggateway_loop_errors_total{loop="result-consumer"}}. A database failure marks
 * nothing: the consumer starts over from the committed offsets after a pause. A throwable that escapes all this is
 * logged, counted, and the consumer starts over after the same pause: the thread never ends before shutdown.
 * Results not signed with their job's key are refused by {@link ResultAuthentication} and skipped.
 */
@ApplicationScoped
public class ResultConsumer {
    private static final Duration RESTART_AFTER = Duration.ofSeconds(5);
    private static final String LOOP = "result-consumer";

    private final KafkaClients clients;
    private final TopicSetup topics;
    private final ResultHandler handler;
    private final JobStartHandler starts;
    private final ResultAuthentication authentication;
    private final GatewayConfig.Queue settings;
    private final LoopErrors loopErrors;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    ResultConsumer(KafkaClients clients, TopicSetup topics, ResultHandler handler, JobStartHandler starts,
                   ResultAuthentication authentication, GatewayConfig config,
                   LoopErrors loopErrors) {
        this.clients = clients;
        this.topics = topics;
        this.handler = handler;
        this.starts = starts;
        this.authentication = authentication;
        this.settings = config.queue();
        this.loopErrors = loopErrors;
    }

    /** A label map being reassembled; {@code job} is empty when its chunks are only to be skipped. */
    private static final class Assembly {
        final TopicPartition partition;
        final long headerOffset;
        final ResultHeader header;
        final Optional<ResultHandler.PendingResult> job;
        final VoxelChunks.LabelAssembly labels;
        /** The source volume for the measurements, read while the chunks arrive; null when {@code job} is empty or another is read ahead. */
        final CompletableFuture<Optional<Volume>> volume;
        /** When the header was read, and the seconds its job took to look up ({@link ResultHandler#prepare}). */
        final long headerRead;
        final double prepareSeconds;
        int chunksSeen;

        Assembly(TopicPartition partition, long headerOffset, ResultHeader header, Optional<ResultHandler.PendingResult> job,
                 VoxelChunks.LabelAssembly labels, CompletableFuture<Optional<Volume>> volume, long headerRead) {
            this.partition = partition;
            this.headerOffset = headerOffset;
            this.header = header;
            this.job = job;
            this.labels = labels;
            this.volume = volume;
            this.headerRead = headerRead;
            this.prepareSeconds = Math.round((System.nanoTime() - headerRead) / 1e6) / 1e3;
        }
    }

    void start(@Observes StartupEvent event) {
        if (!settings.enabled()) return;
        running = true;
        thread = Thread.ofPlatform().name("result-consumer").daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) c.wakeup();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        // subscribed before the topics exist, the consumer would only see them at its next metadata refresh
        while (running && !topics.ensure()) sleep(RESTART_AFTER);
        while (running) {
            Map<String, Assembly> pending = new LinkedHashMap<>();
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(clients.resultConsumer(), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                c.subscribe(List.of(Topics.RESULTS, Topics.JOBS_DLQ), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        pending.values().removeIf(a -> partitions.contains(a.partition));
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    }
                });
                ResultsLog.LOG.consuming(Topics.RESULTS, Topics.JOBS_DLQ, clients.bootstrapServers());
                while (running)
                    for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) acceptIsolated(c, pending, record);
            } catch (WakeupException e) {
                if (running) ResultsLog.LOG.wokenUnexpectedly();
            } catch (Exception e) {
                ResultsLog.LOG.consumerStopped(e, e.getMessage(),
                        RESTART_AFTER.toSeconds());
                sleep(RESTART_AFTER);
            } catch (Error e) {
                loopErrors.caught(LOOP, e);
                sleep(RESTART_AFTER);
            } finally {
                consumer = null;
            }
        }
    }

    /** {@link #accept}, with a failure attributable to the record's job failing that job and moving past the record. */
    private void acceptIsolated(KafkaConsumer<String, byte[]> c, Map<String, Assembly> pending, ConsumerRecord<String, byte[]> record)
            throws Exception {
        try {
            accept(c, pending, record);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            if (e instanceof Error) loopErrors.caught(LOOP, e);
            pending.remove(record.key()); // its further chunks are skipped
            String reason = "result not handled: " + ItemFaults.describe(e);
            UUID jobId = jobIdOf(record.key());
            boolean failed = jobId != null && handler.fail(jobId, "result", reason);
            ResultsLog.LOG.recordSkipped(e, record.topic(), record.partition(), record.offset(),
                    record.key(), failed ? "job failed" : "job not waiting for a result", reason);
            commit(c, pending, new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        }
    }

    private static UUID jobIdOf(String key) {
        try {
            return key == null ? null : UUID.fromString(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void accept(KafkaConsumer<String, byte[]> c, Map<String, Assembly> pending, ConsumerRecord<String, byte[]> record)
            throws Exception {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (QueueRecords.isStarted(record)) {
            try {
                starts.started(QueueRecords.parseHeader(record, JobStarted.class));
            } catch (IllegalArgumentException e) {
                ResultsLog.LOG.unreadableRecord(e.getMessage());
            }
            commit(c, pending, partition, record.offset() + 1);
            return;
        }
        if (QueueRecords.isHeader(record)) {
            ResultHeader header;
            try {
                header = QueueRecords.parseHeader(record, ResultHeader.class);
            } catch (IllegalArgumentException e) {
                ResultsLog.LOG.unreadableRecord(e.getMessage());
                commit(c, pending, partition, record.offset() + 1);
                return;
            }
            if (!authentication.headerAuthentic(header, partition + "@" + record.offset())) {
                commit(c, pending, partition, record.offset() + 1);
                return;
            }
            if (record.topic().equals(Topics.JOBS_DLQ) || header.failed()) {
                handler.failed(header);
                commit(c, pending, partition, record.offset() + 1);
                return;
            }
            long headerRead = System.nanoTime();
            Optional<ResultHandler.PendingResult> job = handler.prepare(header.jobId());
            VoxelChunks.LabelAssembly labels = null;
            if (job.isPresent()) {
                VolumeGeometry g = job.get().layout().geometry();
                try {
                    labels = new VoxelChunks.LabelAssembly(g.width(), g.height(), g.depth(), header.chunkCount(), header.encoding());
                } catch (IllegalArgumentException e) {
                    handler.fail(job.get().jobId(), "label map does not fit the source grid " + g.width() + "x" + g.height() + "x"
                            + g.depth() + ": " + e.getMessage());
                    job = Optional.empty();
                }
            }
            // one source volume read ahead at a time: results whose chunks interleave (several workers done at once) read
            // theirs when stored, so that at most this one and the one being stored are held
            boolean readAhead = job.isPresent() && pending.values().stream().noneMatch(a -> a.volume != null);
            CompletableFuture<Optional<Volume>> volume = readAhead ? handler.readVolume(job.get()) : null;
            pending.put(header.jobId(), new Assembly(partition, record.offset(), header, job, labels, volume, headerRead));
            if (header.chunkCount() == 0) finish(c, pending, pending.get(header.jobId()), record.offset());
            return;
        }
        Assembly a = pending.get(record.key());
        if (a == null) {
            // its header lies before the committed offset: the result was handled and committed already
            ResultsLog.LOG.orphanChunk(record.key(), partition, record.offset());
            return;
        }
        a.chunksSeen++;
        if (a.labels != null) a.labels.accept(QueueRecords.chunkIndex(record), record.value());
        if (a.labels != null ? a.labels.complete() : a.chunksSeen >= a.header.chunkCount()) finish(c, pending, a, record.offset());
    }

    private void finish(KafkaConsumer<String, byte[]> c, Map<String, Assembly> pending, Assembly a, long lastOffset) throws Exception {
        pending.remove(a.header.jobId());
        if (a.job.isPresent()) {
            LabelMap labels = a.labels.toLabelMap();
            if (authentication.labelsAuthentic(a.header, labels, a.partition + "@" + a.headerOffset))
                handler.store(a.job.get(), a.header, labels, a.volume != null ? a.volume : handler.readVolume(a.job.get()),
                        Map.of("resultPrepare", a.prepareSeconds,
                        "resultFetch", Math.round((System.nanoTime() - a.headerRead) / 1e6) / 1e3));
        }
        commit(c, pending, a.partition, lastOffset + 1);
    }

    /** Commits {@code next} for the partition, held back to the header of any label map still being reassembled there. */
    private static void commit(KafkaConsumer<String, byte[]> c, Map<String, Assembly> pending, TopicPartition partition, long next) {
        long offset = next;
        for (Assembly a : pending.values()) if (a.partition.equals(partition)) offset = Math.min(offset, a.headerOffset);
        c.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
