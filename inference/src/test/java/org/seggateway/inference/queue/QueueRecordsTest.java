package org.seggateway.inference.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
