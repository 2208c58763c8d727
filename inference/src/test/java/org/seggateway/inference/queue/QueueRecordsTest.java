package org.seggateway.inference.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import com.github.luben.zstd.Zstd;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;

class QueueRecordsTest {
    static final VolumeGeometry GEOMETRY = new VolumeGeometry(300, 257, 11, new double[] {0.7, 0.8, 2.5},
            new double[] {-100, -90.5, 30}, new double[] {1, 0, 0, 0, 0.6, -0.8, 0, 0.8, 0.6});

    @Test
    void int16VolumeSurvivesChunkingInAnyOrder() {
        short[] voxels = new short[(int) GEOMETRY.voxelCount()];
        Random random = new Random(1);
        for (int i = 0; i < voxels.length; i++) voxels[i] = (short) random.nextInt();
        Volume volume = new Volume("1.2.3", "1.2.4", GEOMETRY, List.of(), null, VoxelType.INT16, voxels, null, List.of());

        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        QueueRecords.jobRecords("job-1", "demo", "1.0", volume, records::add);

        assertThat(records).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("job-1");
            // random voxels do not compress: zstd stores them with a few bytes of framing
            assertThat(r.value().length).isLessThanOrEqualTo((int) Zstd.compressBound(Topics.MAX_CHUNK_BYTES));
        });
        JobHeader header = QueueRecords.parseHeader(consumed(records.get(0)), JobHeader.class);
        assertThat(header.geometry()).isEqualTo(GEOMETRY);
        assertThat(header.chunkCount()).isEqualTo(records.size() - 1).isEqualTo(2);
        assertThat(header.encoding()).isEqualTo(VoxelEncoding.SHUFFLE_ZSTD);

        List<ProducerRecord<String, byte[]>> chunks = new ArrayList<>(records.subList(1, records.size()));
        Collections.reverse(chunks);
        var assembly = new VoxelChunks.VolumeAssembly(header.geometry(), header.voxelType(), header.chunkCount(), header.encoding());
        for (var r : chunks) {
            assertThat(assembly.complete()).isFalse();
            assembly.accept(QueueRecords.chunkIndex(consumed(r)), r.value());
        }
        assertThat(assembly.complete()).isTrue();
        assertThat(assembly.toVolume("job-1").int16Voxels()).isEqualTo(voxels);
    }

    @Test
    void float32VolumeAndLabelMapSurviveChunking() {
        float[] voxels = new float[(int) GEOMETRY.voxelCount()];
        for (int i = 0; i < voxels.length; i++) voxels[i] = i * 0.25f - 7;
        Volume volume = new Volume("1.2.3", "1.2.4", GEOMETRY, List.of(), null, VoxelType.FLOAT32, null, voxels, List.of());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        QueueRecords.jobRecords("job-2", "demo", "1.0", volume, records::add);
        JobHeader header = QueueRecords.parseHeader(consumed(records.get(0)), JobHeader.class);
        var assembly = new VoxelChunks.VolumeAssembly(header.geometry(), header.voxelType(), header.chunkCount(), header.encoding());
        records.subList(1, records.size()).forEach(r -> assembly.accept(QueueRecords.chunkIndex(consumed(r)), r.value()));
        assertThat(assembly.toVolume("job-2").float32Voxels()).isEqualTo(voxels);

        byte[] labels = new byte[(int) GEOMETRY.voxelCount()];
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) (i % 7);
        LabelMap map = new LabelMap(300, 257, 11, labels);
        List<ProducerRecord<String, byte[]>> results = new ArrayList<>();
        int chunks = VoxelChunks.chunkCount(labels.length);
        QueueRecords.resultRecords(ResultHeader.done("job-2", "w1", labels.length, chunks, Map.of("inference", 1.5)), map, results::add);
        ResultHeader done = QueueRecords.parseHeader(consumed(results.get(0)), ResultHeader.class);
        assertThat(done.stageSeconds()).containsEntry("inference", 1.5);
        var labelAssembly = new VoxelChunks.LabelAssembly(300, 257, 11, done.chunkCount());
        results.subList(1, results.size()).forEach(r -> labelAssembly.accept(QueueRecords.chunkIndex(consumed(r)), r.value()));
        assertThat(labelAssembly.toLabelMap().labels()).isEqualTo(labels);
    }

    @Test
    void aJobAsksForZstdLabelsAndAZstdLabelMapComesBackWholeInAnyOrderAtAFractionOfItsSize() {
        Volume volume = new Volume("1.2.3", "1.2.4", GEOMETRY, List.of(), null, VoxelType.INT16, new short[(int) GEOMETRY.voxelCount()],
                null, List.of());
        List<ProducerRecord<String, byte[]>> jobRecords = new ArrayList<>();
        QueueRecords.jobRecords("job-3", "demo", "1.0", volume, jobRecords::add);
        assertThat(QueueRecords.parseHeader(consumed(jobRecords.getFirst()), JobHeader.class).resultEncoding()).isEqualTo(LabelEncoding.ZSTD);

        byte[] labels = new byte[(int) GEOMETRY.voxelCount()];
        for (int z = 3; z < 8; z++) // a block of organ 1 with a lesion 2 in it, background around
            for (int y = 50; y < 200; y++)
                for (int x = 40; x < 260; x++) labels[(z * 257 + y) * 300 + x] = (byte) (x > 150 && x < 170 && y > 100 && y < 120 ? 2 : 1);
        int chunks = VoxelChunks.chunkCount(labels.length);
        ResultHeader header = ResultHeader.done("job-3", "w1", labels.length, chunks, Map.of()).withEncoding(LabelEncoding.ZSTD);
        List<ProducerRecord<String, byte[]>> results = new ArrayList<>();
        QueueRecords.resultRecords(header, new LabelMap(300, 257, 11, labels), results::add);

        ResultHeader read = QueueRecords.parseHeader(consumed(results.getFirst()), ResultHeader.class);
        assertThat(read.encoding()).isEqualTo(LabelEncoding.ZSTD);
        assertThat(read.chunkCount()).isEqualTo(results.size() - 1).isEqualTo(chunks).isGreaterThan(0);
        int recordBytes = results.subList(1, results.size()).stream().mapToInt(r -> r.value().length).sum();
        assertThat(recordBytes).as("zstd label records against %d raw bytes", labels.length).isLessThan(labels.length / 50);
        List<ProducerRecord<String, byte[]>> chunkRecords = new ArrayList<>(results.subList(1, results.size()));
        Collections.reverse(chunkRecords);
        var assembly = new VoxelChunks.LabelAssembly(300, 257, 11, read.chunkCount(), read.encoding());
        chunkRecords.forEach(r -> assembly.accept(QueueRecords.chunkIndex(consumed(r)), r.value()));
        assertThat(assembly.toLabelMap().labels()).isEqualTo(labels);
    }

    @Test
    void aResultHeaderWithoutEncodingIsRawAndAZstdChunkOfTheWrongSizeOrNoFrameIsRefused() {
        String oldWorker = "{\"jobId\":\"j\",\"failed\":false,\"attempts\":1,\"worker\":\"w\",\"byteCount\":10,\"chunkCount\":1}";
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.RESULTS, 0, 0, "j", oldWorker.getBytes());
        assertThat(QueueRecords.parseHeader(record, ResultHeader.class).encoding()).isEqualTo(LabelEncoding.RAW);

        byte[] labels = new byte[Topics.MAX_CHUNK_BYTES + 10];
        var assembly = new VoxelChunks.LabelAssembly(labels.length, 1, 1, 2, LabelEncoding.ZSTD);
        byte[] tooShort = Zstd.compress(new byte[9]), tooLong = Zstd.compress(new byte[11]);
        assertThatThrownBy(() -> assembly.accept(1, tooShort)).hasMessageContaining("label chunk 1").hasMessageContaining("expected 10");
        assertThatThrownBy(() -> assembly.accept(1, tooLong)).hasMessageContaining("label chunk 1");
        assertThatThrownBy(() -> assembly.accept(1, new byte[] {1, 2, 3, 4, 5})).hasMessageContaining("label chunk 1");
        assembly.accept(1, Zstd.compress(new byte[10]));
        assertThat(assembly.complete()).isFalse();
    }

    @Test
    void chunksEncodedOnSeveralThreadsComeOutInOrderAndAsTheyWouldOnOne() {
        VolumeGeometry big = new VolumeGeometry(512, 512, 9, new double[] {0.7, 0.7, 1}, new double[] {0, 0, 0},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        short[] voxels = new short[(int) big.voxelCount()];
        Random random = new Random(2);
        for (int i = 0; i < voxels.length; i++) voxels[i] = (short) (random.nextInt(200) - 1000 + (i / 4096) % 1300);
        Volume volume = new Volume("1.2.3", "1.2.4", big, List.of(), null, VoxelType.INT16, voxels, null, List.of());
        List<ProducerRecord<String, byte[]>> one = new ArrayList<>(), several = new ArrayList<>();
        QueueRecords.jobRecords("job-4", "demo", "1.0", "a2V5", VoxelEncoding.SHUFFLE_ZSTD, volume, one::add);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            QueueRecords.jobRecords("job-4", "demo", "1.0", "a2V5", VoxelEncoding.SHUFFLE_ZSTD, volume, pool, 4, several::add);

            assertThat(several).hasSize(one.size()).hasSizeGreaterThan(4);
            for (int i = 1; i < one.size(); i++) {
                assertThat(QueueRecords.chunkIndex(consumed(several.get(i)))).isEqualTo(i - 1);
                assertThat(several.get(i).value()).isEqualTo(one.get(i).value());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whatAnEncodingThrewIsThrownAsItWas() {
        IllegalStateException thrown = new IllegalStateException("encoder broke");
        assertThatThrownBy(() -> QueueRecords.joined(CompletableFuture.supplyAsync(() -> {
            throw thrown;
        }))).isSameAs(thrown);
        OutOfMemoryError error = new OutOfMemoryError("heap");
        assertThatThrownBy(() -> QueueRecords.joined(CompletableFuture.supplyAsync(() -> {
            throw error;
        }))).isSameAs(error);
    }

    @Test
    void refusesChunksThatDoNotFit() {
        var assembly = new VoxelChunks.VolumeAssembly(GEOMETRY, VoxelType.INT16, 2);
        assertThatThrownBy(() -> assembly.accept(2, new byte[10])).hasMessageContaining("chunk 2");
        assertThatThrownBy(() -> assembly.accept(0, new byte[10])).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new VoxelChunks.VolumeAssembly(GEOMETRY, VoxelType.INT16, 5)).hasMessageContaining("header says 5");
    }

    static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> r) {
        ConsumerRecord<String, byte[]> c = new ConsumerRecord<>(r.topic(), 0, 0, r.key(), r.value());
        r.headers().forEach(h -> c.headers().add(h));
        return c;
    }
}
