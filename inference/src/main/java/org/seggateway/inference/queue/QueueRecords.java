package org.seggateway.inference.queue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;

/** Turns jobs and results into Kafka records and back: a JSON header record, then the binary chunks. */
public final class QueueRecords {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private QueueRecords() {
    }

    /** The voxel encoding of jobs unless the caller names one. */
    public static final VoxelEncoding DEFAULT_ENCODING = VoxelEncoding.SHUFFLE_ZSTD;

    /** The records of one job, header first, handed one at a time so that a big volume is never copied whole. */
    public static void jobRecords(String jobId, String modelName, String modelVersion, Volume volume,
                                  Consumer<ProducerRecord<String, byte[]>> sink) {
        jobRecords(jobId, modelName, modelVersion, null, volume, sink);
    }

    /** The records of one job whose answer is to be signed with {@code resultKey} (base64; see {@link ResultSignature}). */
    public static void jobRecords(String jobId, String modelName, String modelVersion, String resultKey, Volume volume,
                                  Consumer<ProducerRecord<String, byte[]>> sink) {
        jobRecords(jobId, modelName, modelVersion, resultKey, DEFAULT_ENCODING, volume, sink);
    }

    /** The records of one job with its chunks in {@code encoding}, asking for the answer in {@link LabelEncoding#ZSTD}. */
    public static void jobRecords(String jobId, String modelName, String modelVersion, String resultKey, VoxelEncoding encoding,
                                  Volume volume, Consumer<ProducerRecord<String, byte[]>> sink) {
        jobRecords(jobId, modelName, modelVersion, resultKey, encoding, volume, Runnable::run, 1, sink);
    }

    /**
     * {@link #jobRecords(String, String, String, String, VoxelEncoding, Volume, Consumer)} with the chunks encoded on
     * {@code encoder}, up to {@code window} of them at a time, and handed to {@code sink} in order on the caller's
     * thread. What an encoding throws is thrown here as it was thrown; chunks encoded after it are dropped.
     */
    public static void jobRecords(String jobId, String modelName, String modelVersion, String resultKey, VoxelEncoding encoding,
                                  Volume volume, Executor encoder, int window, Consumer<ProducerRecord<String, byte[]>> sink) {
        if (window < 1) throw new IllegalArgumentException("window must be at least 1, not " + window);
        long bytes = VoxelChunks.byteCount(volume);
        int chunks = VoxelChunks.chunkCount(bytes);
        JobHeader header = new JobHeader(jobId, modelName, modelVersion, volume.geometry(), volume.voxelType(), bytes, chunks,
                resultKey, encoding, LabelEncoding.ZSTD);
        sink.accept(headerRecord(Topics.JOBS, jobId, header));
        ArrayDeque<CompletableFuture<byte[]>> encoded = new ArrayDeque<>(window);
        int next = 0;
        for (int i = 0; i < chunks; i++) {
            while (next < chunks && encoded.size() < window) {
                int index = next++;
                encoded.add(CompletableFuture.supplyAsync(() -> VoxelChunks.chunk(volume, index, encoding), encoder));
            }
            sink.accept(chunkRecord(Topics.JOBS, jobId, i, joined(encoded.poll())));
        }
    }

    static byte[] joined(CompletableFuture<byte[]> chunk) {
        try {
            return chunk.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** The records of a finished job's label map, header first, in the header's {@link ResultHeader#encoding()}. */
    public static void resultRecords(ResultHeader done, LabelMap labels, Consumer<ProducerRecord<String, byte[]>> sink) {
        sink.accept(headerRecord(Topics.RESULTS, done.jobId(), done));
        for (int i = 0; i < done.chunkCount(); i++)
            sink.accept(chunkRecord(Topics.RESULTS, done.jobId(), i, VoxelChunks.chunk(labels, i, done.encoding())));
    }

    /** The record saying that a worker has begun a job. */
    public static ProducerRecord<String, byte[]> startedRecord(JobStarted started) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.RESULTS, started.jobId(), toJson(started));
        r.headers().add(Topics.KIND, Topics.STARTED.getBytes(StandardCharsets.US_ASCII));
        return r;
    }

    public static ProducerRecord<String, byte[]> headerRecord(String topic, String jobId, Object header) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, jobId, toJson(header));
        r.headers().add(Topics.KIND, Topics.HEADER.getBytes(StandardCharsets.US_ASCII));
        return r;
    }

    static ProducerRecord<String, byte[]> chunkRecord(String topic, String jobId, int index, byte[] data) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, jobId, data);
        r.headers().add(Topics.KIND, Topics.CHUNK.getBytes(StandardCharsets.US_ASCII));
        r.headers().add(Topics.CHUNK_INDEX, Integer.toString(index).getBytes(StandardCharsets.US_ASCII));
        return r;
    }

    public static boolean isHeader(ConsumerRecord<String, byte[]> record) {
        return Topics.HEADER.equals(header(record, Topics.KIND));
    }

    public static boolean isStarted(ConsumerRecord<String, byte[]> record) {
        return Topics.STARTED.equals(header(record, Topics.KIND));
    }

    /** The chunk index of a chunk record. */
    public static int chunkIndex(ConsumerRecord<String, byte[]> record) {
        String kind = header(record, Topics.KIND);
        String index = header(record, Topics.CHUNK_INDEX);
        if (!Topics.CHUNK.equals(kind) || index == null)
            throw new IllegalArgumentException("record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " is not a chunk (kind " + kind + ")");
        return Integer.parseInt(index);
    }

    public static <T> T parseHeader(ConsumerRecord<String, byte[]> record, Class<T> type) {
        try {
            return JSON.readValue(record.value(), type);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + type.getSimpleName() + " at " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + ": " + e.getMessage(), e);
        }
    }

    public static byte[] toJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.US_ASCII);
    }
}
