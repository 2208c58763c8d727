package org.seggateway.inference.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;

/** The job chunks' own encoding: what it saves on CT-like voxels, and that old and foreign records are read or refused. */
class VoxelEncodingTest {
    static final VolumeGeometry GEOMETRY = new VolumeGeometry(256, 200, 12, new double[] {0.7, 0.7, 1.0},
            new double[] {-90, -70, 0}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    /** Air around a body of soft tissue with a brighter ellipse inside, as stored CT values (HU + 1024), noise sigma 10. */
    static short[] ctLike(VolumeGeometry g, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        short[] v = new short[(int) g.voxelCount()];
        int i = 0;
        for (int z = 0; z < g.depth(); z++)
            for (int y = 0; y < g.height(); y++)
                for (int x = 0; x < g.width(); x++) {
                    double dx = (x - g.width() / 2.0) / (g.width() * 0.4), dy = (y - g.height() / 2.0) / (g.height() * 0.35);
                    double r = dx * dx + dy * dy;
                    double hu = r > 1 ? -1000 : r > 0.2 ? 40 : 120;
                    double noise = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
                    v[i++] = (short) Math.max(0, Math.min(4095, Math.round(hu + 1024 + 10 * noise)));
                }
        return v;
    }

    @Test
    void ctVoxelsTravelInLessThanHalfTheirBytesAndComeBackEqual() {
        short[] voxels = ctLike(GEOMETRY, 7);
        Volume volume = new Volume("1.2.3", "1.2.4", GEOMETRY, List.of(), null, VoxelType.INT16, voxels, null, List.of());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        QueueRecords.jobRecords("job-ct", "demo", "1.0", null, VoxelEncoding.SHUFFLE_ZSTD, volume, records::add);

        long raw = VoxelChunks.byteCount(volume), sent = records.stream().skip(1).mapToLong(r -> r.value().length).sum();
        assertThat(sent).isLessThan(raw / 2);
        // lz4 on the interleaved little-endian bytes (what compression.type=lz4 did to them) saves far less
        long rawChunks = 0;
        for (int i = 0; i < VoxelChunks.chunkCount(raw); i++) rawChunks += Zstd.compress(VoxelChunks.chunk(volume, i), 1).length;
        assertThat(sent).isLessThan(rawChunks * 3 / 4);

        JobHeader header = QueueRecords.parseHeader(QueueRecordsTest.consumed(records.getFirst()), JobHeader.class);
        assertThat(header.encoding()).isEqualTo(VoxelEncoding.SHUFFLE_ZSTD);
        var assembly = new VoxelChunks.VolumeAssembly(header.geometry(), header.voxelType(), header.chunkCount(), header.encoding());
        for (ProducerRecord<String, byte[]> r : records.reversed().subList(0, records.size() - 1))
            assembly.accept(QueueRecords.chunkIndex(QueueRecordsTest.consumed(r)), r.value());
        assertThat(assembly.toVolume("job-ct").int16Voxels()).isEqualTo(voxels);
    }

    @Test
    void float32VoxelsShuffleInFourPlanes() {
        VolumeGeometry g = new VolumeGeometry(64, 64, 70, new double[] {1, 1, 1}, new double[] {0, 0, 0},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        float[] voxels = new float[(int) g.voxelCount()];
        for (int i = 0; i < voxels.length; i++) voxels[i] = (i % 977) * 0.5f - 100;
        Volume volume = new Volume("1.2.3", "1.2.4", g, List.of(), null, VoxelType.FLOAT32, null, voxels, List.of());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        QueueRecords.jobRecords("job-f", "demo", "1.0", null, VoxelEncoding.SHUFFLE_ZSTD, volume, records::add);
        JobHeader header = QueueRecords.parseHeader(QueueRecordsTest.consumed(records.getFirst()), JobHeader.class);
        assertThat(header.chunkCount()).isEqualTo(2);
        var assembly = new VoxelChunks.VolumeAssembly(g, VoxelType.FLOAT32, header.chunkCount(), header.encoding());
        records.subList(1, records.size()).forEach(r -> assembly.accept(QueueRecords.chunkIndex(QueueRecordsTest.consumed(r)), r.value()));
        assertThat(assembly.toVolume("job-f").float32Voxels()).isEqualTo(voxels);
    }

    @Test
    void aHeaderFromAGatewayBeforeTheEncodingIsReadAsRawChunks() {
        // the header as gateways wrote it before the encoding field, with its raw little-endian chunk
        String oldHeader = """
                {"jobId":"job-old","modelName":"demo","modelVersion":"1.0",
                 "geometry":{"width":2,"height":2,"depth":1,"spacing":[1.0,1.0,1.0],"origin":[0.0,0.0,0.0],
                             "direction":[1.0,0.0,0.0,0.0,1.0,0.0,0.0,0.0,1.0]},
                 "voxelType":"INT16","byteCount":8,"chunkCount":1,"resultKey":null}""";
        JobHeader header = QueueRecords.parseHeader(record(oldHeader.getBytes(StandardCharsets.UTF_8)), JobHeader.class);
        assertThat(header.encoding()).isEqualTo(VoxelEncoding.RAW);
        var assembly = new VoxelChunks.VolumeAssembly(header.geometry(), header.voxelType(), header.chunkCount(), header.encoding());
        assembly.accept(0, new byte[] {1, 0, 2, 0, (byte) 0xff, (byte) 0xff, 0, 4});
        assertThat(assembly.toVolume("job-old").int16Voxels()).containsExactly((short) 1, (short) 2, (short) -1, (short) 1024);
    }

    @Test
    void anUnknownEncodingIsRefusedNotGuessed() {
        String future = """
                {"jobId":"job-new","modelName":"demo","modelVersion":"1.0",
                 "geometry":{"width":2,"height":2,"depth":1,"spacing":[1.0,1.0,1.0],"origin":[0.0,0.0,0.0],
                             "direction":[1.0,0.0,0.0,0.0,1.0,0.0,0.0,0.0,1.0]},
                 "voxelType":"INT16","byteCount":8,"chunkCount":1,"encoding":"delta-brotli"}""";
        assertThatThrownBy(() -> QueueRecords.parseHeader(record(future.getBytes(StandardCharsets.UTF_8)), JobHeader.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unreadable JobHeader").hasMessageContaining("delta-brotli");
    }

    @Test
    void aChunkThatDoesNotDecodeToItsPlaceIsRefused() {
        var assembly = new VoxelChunks.VolumeAssembly(GEOMETRY, VoxelType.INT16, VoxelChunks.chunkCount(GEOMETRY.voxelCount() * 2),
                VoxelEncoding.SHUFFLE_ZSTD);
        assertThatThrownBy(() -> assembly.accept(0, new byte[] {1, 2, 3, 4, 5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk 0").hasMessageContaining("does not decode");
        // a valid frame of the wrong size: too short, and one that would not fit (never allocated beyond the chunk)
        assertThatThrownBy(() -> assembly.accept(0, Zstd.compress(new byte[1000], 1))).hasMessageContaining("decodes to 1000 bytes");
        assertThatThrownBy(() -> assembly.accept(0, Zstd.compress(new byte[Topics.MAX_CHUNK_BYTES + 2], 1)))
                .hasMessageContaining("does not decode");
        // a raw chunk given to a shuffle-zstd job is not a zstd frame
        assertThatThrownBy(() -> assembly.accept(0, new byte[Topics.MAX_CHUNK_BYTES])).hasMessageContaining("does not decode");
        assertThat(assembly.complete()).isFalse();
    }

    @Test
    void theWireNamesAreTheConfigurationValues() {
        assertThat(VoxelEncoding.ofWireName("raw")).isEqualTo(VoxelEncoding.RAW);
        assertThat(VoxelEncoding.ofWireName("shuffle-zstd")).isEqualTo(VoxelEncoding.SHUFFLE_ZSTD);
        assertThatThrownBy(() -> VoxelEncoding.ofWireName("lz4")).hasMessageContaining("raw, shuffle-zstd");
        assertThat(new String(QueueRecords.toJson(VoxelEncoding.SHUFFLE_ZSTD), StandardCharsets.UTF_8)).isEqualTo("\"shuffle-zstd\"");
    }

    private static ConsumerRecord<String, byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.JOBS, 0, 0, "k", value);
    }
}
