package org.seggateway.it.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;
import org.seggateway.inference.queue.JobHeader;
import org.seggateway.inference.queue.QueueRecords;
import org.seggateway.inference.queue.ResultHeader;
import org.seggateway.inference.queue.Topics;
import org.seggateway.inference.queue.VoxelChunks;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.WorkerSettings;
import org.seggateway.local.LocalKafka;

/** A worker's memory budget against a real broker: a job too big is dead-lettered with the reason, the rest run. */
class WorkerMemoryBudgetKafkaIT {
    @TempDir
    static Path directory;
    static LocalKafka broker;

    @BeforeAll
    static void start() throws Exception {
        broker = WorkerBroker.start(directory, 3);
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
    }

    @Test
    void aJobBeyondTheBudgetIsDeadLetteredFromItsHeaderAndJobsThatFitOneAtATimeAllRun() throws Exception {
        // each small job needs 1.92 MB of voxels + 0.96 MB of labels: a 4 MiB budget holds one at a time
        Volume a = InferenceWorkerKafkaIT.volume(160, 150, 40, 3), b = InferenceWorkerKafkaIT.volume(160, 150, 40, 5);
        // a header claiming 512 x 512 x 2000 INT16 (1 GiB), with no chunk behind it: refused before any allocation
        VolumeGeometry huge = new VolumeGeometry(512, 512, 2000, new double[] {0.7, 0.7, 1}, new double[] {0, 0, 0},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        long hugeBytes = huge.voxelCount() * 2;
        try (var producer = producer()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(QueueRecords.headerRecord(Topics.JOBS, "job-huge",
                    new JobHeader("job-huge", "threshold", "1", huge, VoxelType.INT16, hugeBytes, VoxelChunks.chunkCount(hugeBytes))));
            QueueRecords.jobRecords("job-a", "threshold", "1", a, producer::send);
            QueueRecords.jobRecords("job-b", "threshold", "1", b, producer::send);
            producer.commitTransaction();
        }

        WorkerSettings settings = WorkerSettings.defaults(broker.bootstrapServers(), "w-small").withMemoryBudget(4L << 20);
        try (InferenceWorker worker = new InferenceWorker(settings, InferenceWorkerKafkaIT.THRESHOLD)) {
            Thread thread = Thread.ofPlatform().name("worker").start(worker);

            List<ResultHeader> dead = deadLetters(1, Duration.ofSeconds(90));
            assertThat(dead).singleElement().satisfies(h -> {
                assertThat(h.jobId()).isEqualTo("job-huge");
                assertThat(h.failed()).isTrue();
                assertThat(h.attempts()).isZero();
                assertThat(h.error()).contains("refused before running: a 512x512x2000 INT16 volume needs about 1500 MiB of heap")
                        .contains("memory budget of 4 MiB");
            });
            Map<String, byte[]> labels = labelMaps(Map.of("job-a", a, "job-b", b), Duration.ofSeconds(90));
            assertThat(labels.get("job-a")).isEqualTo(InferenceWorkerKafkaIT.THRESHOLD.run(null, a, new HashMap<>()).labels());
            assertThat(labels.get("job-b")).isEqualTo(InferenceWorkerKafkaIT.THRESHOLD.run(null, b, new HashMap<>()).labels());
            worker.close();
            thread.join(10_000);
            assertThat(worker.jobsDone()).isEqualTo(2);
            assertThat(worker.jobsFailed()).isEqualTo(1);
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return WorkerBroker.producer(broker, "test-gateway-memory");
    }

    /** The label maps of the given jobs read from seg.results (job starts skipped). */
    private static Map<String, byte[]> labelMaps(Map<String, Volume> jobs, Duration timeout) {
        Map<String, VoxelChunks.LabelAssembly> assemblies = new HashMap<>();
        Map<String, byte[]> done = new HashMap<>();
        try (var consumer = consumer(Topics.RESULTS)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (done.size() < jobs.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (QueueRecords.isStarted(r)) continue;
                    if (QueueRecords.isHeader(r)) {
                        ResultHeader h = QueueRecords.parseHeader(r, ResultHeader.class);
                        VolumeGeometry g = jobs.get(h.jobId()).geometry();
                        assemblies.put(h.jobId(), new VoxelChunks.LabelAssembly(g.width(), g.height(), g.depth(), h.chunkCount(), h.encoding()));
                    } else {
                        var assembly = assemblies.get(r.key());
                        assembly.accept(QueueRecords.chunkIndex(r), r.value());
                        if (assembly.complete()) done.put(r.key(), assembly.toLabelMap().labels());
                    }
                }
            }
        }
        return done;
    }

    private static List<ResultHeader> deadLetters(int expected, Duration timeout) {
        List<ResultHeader> dead = new ArrayList<>();
        try (var consumer = consumer(Topics.JOBS_DLQ)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (dead.size() < expected && System.nanoTime() < deadline)
                for (var r : consumer.poll(Duration.ofMillis(500))) dead.add(QueueRecords.parseHeader(r, ResultHeader.class));
        }
        return dead;
    }

    private static KafkaConsumer<String, byte[]> consumer(String topic) {
        return WorkerBroker.consumer(broker, "memory-test-" + topic, topic);
    }
}
