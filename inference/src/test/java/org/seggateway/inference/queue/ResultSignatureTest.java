package org.seggateway.inference.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VoxelType;

class ResultSignatureTest {
    static final byte[] KEY = randomKey();
    static final String KEY64 = Base64.getEncoder().encodeToString(KEY);

    @Test
    void aSignedResultVerifiesAfterTheRoundTripThroughItsRecord() {
        ResultHeader signed = ResultSignature.sign(done(), KEY64);
        ResultHeader read = QueueRecords.parseHeader(consumed(QueueRecords.headerRecord(Topics.RESULTS, "job-1", signed)), ResultHeader.class);
        assertThat(ResultSignature.verify(read, KEY)).isTrue();
        ResultHeader failure = ResultSignature.sign(ResultHeader.failed("job-1", "w1", 3, "OrtException: out of memory"), KEY64);
        assertThat(ResultSignature.verify(failure, KEY)).isTrue();
    }

    @Test
    void anyChangedFieldAnotherKeyOrNoSignatureIsRefused() {
        ResultHeader signed = ResultSignature.sign(done(), KEY64);
        List<UnaryOperator<ResultHeader>> tamperings = List.of(
                h -> new ResultHeader("job-2", h.failed(), h.error(), h.attempts(), h.worker(), h.byteCount(), h.chunkCount(), h.stageSeconds(), h.labelsSha256(), h.signature()),
                h -> new ResultHeader(h.jobId(), true, h.error(), h.attempts(), h.worker(), h.byteCount(), h.chunkCount(), h.stageSeconds(), h.labelsSha256(), h.signature()),
                h -> new ResultHeader(h.jobId(), h.failed(), "x", h.attempts(), h.worker(), h.byteCount(), h.chunkCount(), h.stageSeconds(), h.labelsSha256(), h.signature()),
                h -> new ResultHeader(h.jobId(), h.failed(), h.error(), 2, h.worker(), h.byteCount(), h.chunkCount(), h.stageSeconds(), h.labelsSha256(), h.signature()),
                h -> new ResultHeader(h.jobId(), h.failed(), h.error(), h.attempts(), "evil", h.byteCount(), h.chunkCount(), h.stageSeconds(), h.labelsSha256(), h.signature()),
                h -> new ResultHeader(h.jobId(), h.failed(), h.error(), h.attempts(), h.worker(), 1, h.chunkCount(), h.stageSeconds(), h.labelsSha256(), h.signature()),
                h -> new ResultHeader(h.jobId(), h.failed(), h.error(), h.attempts(), h.worker(), h.byteCount(), 9, h.stageSeconds(), h.labelsSha256(), h.signature()),
                h -> new ResultHeader(h.jobId(), h.failed(), h.error(), h.attempts(), h.worker(), h.byteCount(), h.chunkCount(), Map.of("inference", 1.25), h.labelsSha256(), h.signature()),
                h -> h.withLabelsSha256(ResultSignature.labelsSha256(new byte[] {1})),
                h -> h.withEncoding(LabelEncoding.ZSTD),
                h -> h.withSignature(null),
                h -> h.withSignature("not hex"),
                h -> h.withSignature(h.signature().substring(2) + "00"));
        for (UnaryOperator<ResultHeader> tamper : tamperings) assertThat(ResultSignature.verify(tamper.apply(signed), KEY)).isFalse();
        assertThat(ResultSignature.verify(signed, randomKey())).isFalse();
        assertThat(ResultSignature.verify(done(), KEY)).as("unsigned").isFalse();
    }

    @Test
    void theEncodingIsSignedAndARawAnswerIsSignedAsWorkersBeforeTheFieldSignedIt() {
        ResultHeader zstd = ResultSignature.sign(done().withEncoding(LabelEncoding.ZSTD), KEY64);
        assertThat(ResultSignature.verify(zstd, KEY)).isTrue();
        assertThat(ResultSignature.verify(zstd.withEncoding(LabelEncoding.RAW), KEY)).isFalse();
        assertThat(new String(ResultSignature.canonical(done()), java.nio.charset.StandardCharsets.UTF_8))
                .as("the v1 form, unchanged for raw answers").endsWith(";64:" + done().labelsSha256() + ";")
                .doesNotContain("encoding");
    }

    @Test
    void theJobKeyTravelsInTheJobHeaderButNeverInItsText() {
        Volume volume = new Volume("1.2.3", "1.2.4", QueueRecordsTest.GEOMETRY, List.of(), null, VoxelType.INT16,
                new short[(int) QueueRecordsTest.GEOMETRY.voxelCount()], null, List.of());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        QueueRecords.jobRecords("job-1", "demo", "1.0", KEY64, volume, records::add);
        JobHeader header = QueueRecords.parseHeader(consumed(records.getFirst()), JobHeader.class);
        assertThat(header.resultKey()).isEqualTo(KEY64);
        assertThat(header.toString()).doesNotContain(KEY64).contains("resultKey=(hidden)", "job-1");
    }

    private static ResultHeader done() {
        return ResultHeader.done("job-1", "w1", 1000, 1, Map.of("inference", 1.5, "total", 0.1 + 0.2))
                .withLabelsSha256(ResultSignature.labelsSha256(new byte[1000]));
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> r) {
        ConsumerRecord<String, byte[]> c = new ConsumerRecord<>(r.topic(), 0, 0, r.key(), r.value());
        r.headers().forEach(h -> c.headers().add(h));
        return c;
    }
}
