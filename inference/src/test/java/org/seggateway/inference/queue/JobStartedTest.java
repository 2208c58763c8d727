package org.seggateway.inference.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class JobStartedTest {

    private static JobStarted roundTrip(byte[] json) {
        return QueueRecords.parseHeader(new ConsumerRecord<>(Topics.RESULTS, 0, 7L, "job-1", json), JobStarted.class);
    }

    @Test
    void deviceTravels() {
        ExecutionDevice gpu = new ExecutionDevice("CUDA", "NVIDIA H200 (0)", 143771L << 20, "13, driver 580.159.03");
        ProducerRecord<String, byte[]> r = QueueRecords.startedRecord(JobStarted.now("job-1", "w1", 2, gpu));
        JobStarted back = roundTrip(r.value());
        assertThat(back.device()).isEqualTo(gpu);
        assertThat(back.attempt()).isEqualTo(2);
        assertThat(roundTrip(QueueRecords.toJson(JobStarted.now("job-1", "w1", 1, ExecutionDevice.cpu()))).device())
                .isEqualTo(ExecutionDevice.cpu());
    }

    @Test
    void recordsOfOlderWorkersParseWithoutDevice() {
        String old = "{\"jobId\":\"job-1\",\"worker\":\"w0\",\"attempt\":1,\"startedAt\":\"2026-01-31T10:15:02Z\"}";
        JobStarted back = roundTrip(old.getBytes(StandardCharsets.UTF_8));
        assertThat(back).isEqualTo(new JobStarted("job-1", "w0", 1, "2026-01-31T10:15:02Z"));
        assertThat(back.device()).isNull();
    }

    @Test
    void aCpuDeviceLeavesTheGpuFieldsOut() {
        String json = new String(QueueRecords.toJson(ExecutionDevice.cpu()), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"provider\":\"CPU\"}");
    }
}
