package org.seggateway.inference.queue;

import java.util.Map;

/**
 * The first record of a result on {@link Topics#RESULTS} (followed by label-map chunks when
 * {@code failed} is false), or the only record of a job on {@link Topics#JOBS_DLQ}.
 *
 * @param byteCount    label bytes (one unsigned byte per voxel, job grid and voxel order)
 * @param stageSeconds time per stage on the worker (preprocess, inference, blending, postprocess, ...)
 * @param labelsSha256 hex SHA-256 of the label bytes that follow (null for a failure)
 * @param signature    HMAC of every other field with the job's {@link JobHeader#resultKey()} ({@link ResultSignature});
 *                     null when the job came without a key
 * @param encoding     how each chunk's label bytes are written ({@link LabelEncoding}); {@code byteCount} and
 *                     {@code chunkCount} count the label bytes before encoding, and {@code labelsSha256} is their digest.
 *                     Absent in the records of workers before it: {@link LabelEncoding#RAW}
 */
public record ResultHeader(String jobId, boolean failed, String error, int attempts, String worker,
                           long byteCount, int chunkCount, Map<String, Double> stageSeconds,
                           String labelsSha256, String signature, LabelEncoding encoding) {

    public ResultHeader {
        if (encoding == null) encoding = LabelEncoding.RAW;
    }

    /** In {@link LabelEncoding#RAW}. */
    public ResultHeader(String jobId, boolean failed, String error, int attempts, String worker, long byteCount, int chunkCount,
                        Map<String, Double> stageSeconds, String labelsSha256, String signature) {
        this(jobId, failed, error, attempts, worker, byteCount, chunkCount, stageSeconds, labelsSha256, signature, LabelEncoding.RAW);
    }

    public static ResultHeader done(String jobId, String worker, long byteCount, int chunkCount, Map<String, Double> stageSeconds) {
        return new ResultHeader(jobId, false, null, 1, worker, byteCount, chunkCount, stageSeconds, null, null);
    }

    public static ResultHeader failed(String jobId, String worker, int attempts, String error) {
        return new ResultHeader(jobId, true, error, attempts, worker, 0, 0, Map.of(), null, null);
    }

    public ResultHeader withLabelsSha256(String sha256) {
        return new ResultHeader(jobId, failed, error, attempts, worker, byteCount, chunkCount, stageSeconds, sha256, signature, encoding);
    }

    public ResultHeader withSignature(String signature) {
        return new ResultHeader(jobId, failed, error, attempts, worker, byteCount, chunkCount, stageSeconds, labelsSha256, signature, encoding);
    }

    /** The labels that follow written in {@code labelEncoding}; to be set before the header is signed. */
    public ResultHeader withEncoding(LabelEncoding labelEncoding) {
        return new ResultHeader(jobId, failed, error, attempts, worker, byteCount, chunkCount, stageSeconds, labelsSha256, signature, labelEncoding);
    }
}
