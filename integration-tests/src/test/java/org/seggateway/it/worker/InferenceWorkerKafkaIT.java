package org.seggateway.it.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;
import org.seggateway.inference.queue.ExecutionDevice;
import org.seggateway.inference.queue.JobHeader;
import org.seggateway.inference.queue.JobStarted;
import org.seggateway.inference.queue.LabelEncoding;
import org.seggateway.inference.queue.QueueRecords;
import org.seggateway.inference.queue.ResultHeader;
import org.seggateway.inference.queue.Topics;
import org.seggateway.inference.queue.VoxelChunks;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.JobRunner;
import org.seggateway.inference.worker.WorkerSettings;
import org.seggateway.local.LocalKafka;

/** The worker's consume-transform-produce loop against a real broker, with a threshold standing in for a model. */
class InferenceWorkerKafkaIT {
    @TempDir
    static Path directory;
    static LocalKafka broker;
    static final Map<String, List<JobStarted>> starts = new HashMap<>();

    static final ExecutionDevice GPU = new ExecutionDevice("CUDA", "NVIDIA H200 (0)", 143771L << 20, "13, driver 580.159.03");
    static final JobRunner THRESHOLD = (job, volume, seconds) -> {
        byte[] labels = new byte[(int) volume.geometry().voxelCount()];
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) (volume.value(i) > 100 ? 1 : 0);
        var g = volume.geometry();
        return new LabelMap(g.width(), g.height(), g.depth(), labels);
    };

    @BeforeAll
    static void start() throws Exception {
        broker = WorkerBroker.start(directory, 3);
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
    }

    @Test
    void answersEachJobWithItsLabelMapAndSendsFailuresToTheDeadLetterTopic() throws Exception {
        Volume big = volume(160, 150, 40, 3);   // 1.9 MB of voxels: two chunks
        Volume small = volume(20, 10, 5, 11);
        Instant published = Instant.now();
        publish("job-big", big);
        publish("job-small", small);
        publish("job-broken", volume(4, 4, 2, 0));

        JobRunner runner = new JobRunner() {
            @Override
            public LabelMap run(JobHeader job, Volume volume, Map<String, Double> seconds) throws Exception {
                if (job.jobId().equals("job-broken")) throw new IllegalStateException("model refused the input");
                return THRESHOLD.run(job, volume, seconds);
            }

            @Override
            public ExecutionDevice device(JobHeader job) {
                return GPU;
            }
        };
        try (InferenceWorker worker = new InferenceWorker(WorkerSettings.defaults(broker.bootstrapServers(), "w1"), runner)) {
            Thread thread = Thread.ofPlatform().name("worker").start(worker);
            Map<String, LabelMap> results = collectResults(2, Duration.ofSeconds(90));
            assertThat(results.get("job-big").labels()).isEqualTo(THRESHOLD.run(null, big, new HashMap<>()).labels());
            assertThat(results.get("job-small").labels()).isEqualTo(THRESHOLD.run(null, small, new HashMap<>()).labels());

            List<ResultHeader> dead = collectDeadLetters(1, Duration.ofSeconds(60));
            collectResults(0, Duration.ofSeconds(3)); // the rest of seg.results: the failing job's starts
            assertThat(starts).containsOnlyKeys("job-big", "job-small", "job-broken");
            assertThat(starts.get("job-big")).singleElement().satisfies(s -> {
                assertThat(s.worker()).isEqualTo("w1");
                assertThat(s.attempt()).isEqualTo(1);
                assertThat(Instant.parse(s.startedAt())).isBetween(published, Instant.now());
                assertThat(s.device()).as("where the runner runs the job").isEqualTo(GPU);
            });
            assertThat(starts.get("job-broken")).as("one start per attempt").extracting(JobStarted::attempt).containsExactly(1, 2, 3);
            assertThat(dead).singleElement().satisfies(h -> {
                assertThat(h.jobId()).isEqualTo("job-broken");
                assertThat(h.failed()).isTrue();
                assertThat(h.attempts()).isEqualTo(3);
                assertThat(h.error()).contains("model refused the input");
            });
            worker.close();
            thread.join(10_000);
            assertThat(worker.jobsDone()).isEqualTo(2);
            assertThat(worker.jobsFailed()).isEqualTo(1);
        }
    }

    static Volume volume(int w, int h, int d, int seed) {
        short[] voxels = new short[w * h * d];
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < voxels.length; i++) voxels[i] = (short) (random.nextInt(400) - 100);
        VolumeGeometry g = new VolumeGeometry(w, h, d, new double[] {1, 1, 2}, new double[] {0, 0, 0},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        return new Volume("1.2.3." + seed, null, g, List.of(), null, VoxelType.INT16, voxels, null, List.of());
    }

    static void publish(String jobId, Volume volume) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-gateway");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            QueueRecords.jobRecords(jobId, "threshold", "1", volume, producer::send);
            producer.commitTransaction();
        }
    }

    /**
     * Label maps read from seg.results by job id ({@code expected} 0: read until the timeout); the job starts read on
     * the way go to {@link #starts}, each checked to come before its job's result.
     */
    static Map<String, LabelMap> collectResults(int expected, Duration timeout) {
        Map<String, VoxelChunks.LabelAssembly> assemblies = new HashMap<>();
        Map<String, LabelMap> done = new HashMap<>();
        try (var consumer = consumer(Topics.RESULTS)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while ((done.size() < expected || expected == 0) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (QueueRecords.isStarted(r)) {
                        JobStarted s = QueueRecords.parseHeader(r, JobStarted.class);
                        assertThat(assemblies).as("start of %s after its result", s.jobId()).doesNotContainKey(s.jobId());
                        starts.computeIfAbsent(s.jobId(), k -> new ArrayList<>()).add(s);
                    } else if (QueueRecords.isHeader(r)) {
                        ResultHeader h = QueueRecords.parseHeader(r, ResultHeader.class);
                        // the jobs ask for zstd labels (JobHeader.resultEncoding) and the worker answers in them
                        assertThat(h.encoding()).as("labels of %s", h.jobId()).isEqualTo(LabelEncoding.ZSTD);
                        Volume v = h.jobId().equals("job-big") ? volume(160, 150, 40, 3) : volume(20, 10, 5, 11);
                        var g = v.geometry();
                        assemblies.put(h.jobId(), new VoxelChunks.LabelAssembly(g.width(), g.height(), g.depth(), h.chunkCount(), h.encoding()));
                    } else {
                        var a = assemblies.get(r.key());
                        a.accept(QueueRecords.chunkIndex(r), r.value());
                        if (a.complete()) done.put(r.key(), a.toLabelMap());
                    }
                }
            }
        }
        return done;
    }

    static List<ResultHeader> collectDeadLetters(int expected, Duration timeout) {
        List<ResultHeader> dead = new ArrayList<>();
        try (var consumer = consumer(Topics.JOBS_DLQ)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (dead.size() < expected && System.nanoTime() < deadline)
                for (var r : consumer.poll(Duration.ofMillis(500))) dead.add(QueueRecords.parseHeader(r, ResultHeader.class));
        }
        return dead;
    }

    static KafkaConsumer<String, byte[]> consumer(String topic) {
        return WorkerBroker.consumer(broker, "test-" + topic, topic);
    }
}
