package org.seggateway.it.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.queue.QueueRecords;
import org.seggateway.inference.queue.ResultHeader;
import org.seggateway.inference.queue.Topics;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.JobRunner;
import org.seggateway.inference.worker.WorkerSettings;
import org.seggateway.local.LocalKafka;

/**
 * Poison on the worker side against a real broker, workers in threads: a job record the worker cannot read is
 * dead-lettered and the jobs behind it run; a job whose runner throws an {@link Error} stops each worker that takes it
 * (nothing committed), and the fourth worker (max-deliveries 3) dead-letters it without running it, then runs the next.
 * The process-level version (SIGKILL, a real OutOfMemoryError) is {@code it.pipeline.PoisonJobsIT}.
 */
class WorkerPoisonIT {
    @TempDir
    static Path directory;
    static LocalKafka broker;

    @BeforeAll
    static void start() throws Exception {
        broker = WorkerBroker.start(directory, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
    }

    @Test
    void anUnreadableJobRecordIsDeadLetteredAndTheNextJobRuns() throws Exception {
        try (var producer = producer()) {
            producer.initTransactions();
            producer.beginTransaction();
            // a job header whose geometry is not one: the worker cannot even start to reassemble it
            producer.send(QueueRecords.headerRecord(Topics.JOBS, "job-unreadable", Map.of("jobId", "job-unreadable",
                    "geometry", "not a geometry", "chunkCount", -1)));
            producer.commitTransaction();
        }
        publish("job-after-unreadable", InferenceWorkerKafkaIT.volume(20, 10, 5, 11));

        try (InferenceWorker worker = new InferenceWorker(settings("w-read"), InferenceWorkerKafkaIT.THRESHOLD)) {
            Thread thread = Thread.ofPlatform().name("worker-read").start(worker);
            List<ResultHeader> dead = deadLetters("job-unreadable", 1, Duration.ofSeconds(60));
            assertThat(dead).singleElement().satisfies(h -> assertThat(h.error()).contains("unreadable"));
            assertThat(resultHeaders("job-after-unreadable", Duration.ofSeconds(60))).isNotEmpty();
            assertThat(thread.isAlive()).as("the worker goes on").isTrue();
            worker.close();
            thread.join(10_000);
            assertThat(worker.jobsDone()).isEqualTo(1);
            assertThat(worker.jobsFailed()).isEqualTo(1);
        }
    }

    @Test
    void aJobThatStopsEveryWorkerIsDeadLetteredAtItsFourthDeliveryAndTheNextJobRuns() throws Exception {
        publish("job-crashing", InferenceWorkerKafkaIT.volume(12, 12, 4, 5));
        publish("job-after-crashing", InferenceWorkerKafkaIT.volume(20, 10, 5, 12));
        JobRunner runner = (job, volume, seconds) -> {
            if (job.jobId().equals("job-crashing")) throw new StackOverflowError("as thrown for " + job.jobId());
            return InferenceWorkerKafkaIT.THRESHOLD.run(job, volume, seconds);
        };
        int died = 0;
        List<InferenceWorker> workers = new ArrayList<>();
        try {
            while (true) {
                assertThat(died).as("workers stopped by the job").isLessThanOrEqualTo(3);
                InferenceWorker worker = new InferenceWorker(settings("w-crash"), runner); // the same worker, restarted
                workers.add(worker);
                Thread thread = Thread.ofPlatform().name("worker-crash-" + died).unstarted(worker);
                thread.setUncaughtExceptionHandler((t, e) -> { }); // expected: the Error ends the worker's thread
                thread.start();
                thread.join(20_000);
                if (thread.isAlive()) break; // it did not die: it dead-lettered the job
                died++;
            }
            assertThat(died).isEqualTo(3);
            assertThat(deadLetters("job-crashing", 1, Duration.ofSeconds(60))).singleElement().satisfies(h -> {
                assertThat(h.attempts()).isEqualTo(3);
                assertThat(h.error()).startsWith("worker crashed 3 times on this job");
            });
            assertThat(resultHeaders("job-after-crashing", Duration.ofSeconds(60))).isNotEmpty();
        } finally {
            for (InferenceWorker w : workers) w.close();
        }
    }

    static WorkerSettings settings(String id) {
        Properties kafka = new Properties();
        kafka.put("session.timeout.ms", "6000");
        kafka.put("heartbeat.interval.ms", "1000");
        return new WorkerSettings(broker.bootstrapServers(), "seg-workers", id, 3, Duration.ofMinutes(5), kafka, 3);
    }

    static KafkaProducer<String, byte[]> producer() {
        return WorkerBroker.producer(broker, "test-gateway");
    }

    static void publish(String jobId, Volume volume) {
        try (var producer = producer()) {
            producer.initTransactions();
            producer.beginTransaction();
            QueueRecords.jobRecords(jobId, "threshold", "1", volume, producer::send);
            producer.commitTransaction();
        }
    }

    /** Dead letters of one job read from seg.jobs.dlq, until {@code expected} or the timeout. */
    static List<ResultHeader> deadLetters(String jobId, int expected, Duration timeout) {
        List<ResultHeader> dead = new ArrayList<>();
        try (var consumer = consumer(Topics.JOBS_DLQ)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (dead.size() < expected && System.nanoTime() < deadline)
                for (var r : consumer.poll(Duration.ofMillis(500)))
                    if (jobId.equals(r.key())) dead.add(QueueRecords.parseHeader(r, ResultHeader.class));
        }
        return dead;
    }

    /** Result headers (not starts) of one job on seg.results, read until the first or the timeout. */
    static List<ResultHeader> resultHeaders(String jobId, Duration timeout) {
        List<ResultHeader> headers = new ArrayList<>();
        try (var consumer = consumer(Topics.RESULTS)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (headers.isEmpty() && System.nanoTime() < deadline)
                for (var r : consumer.poll(Duration.ofMillis(500)))
                    if (jobId.equals(r.key()) && QueueRecords.isHeader(r) && !QueueRecords.isStarted(r))
                        headers.add(QueueRecords.parseHeader(r, ResultHeader.class));
        }
        return headers;
    }

    static KafkaConsumer<String, byte[]> consumer(String topic) {
        return WorkerBroker.consumer(broker, "test-" + topic + "-" + System.nanoTime(), topic);
    }
}
