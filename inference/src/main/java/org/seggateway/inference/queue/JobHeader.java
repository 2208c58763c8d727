package org.seggateway.inference.queue;

import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;

/**
 * The first record of a job on {@link Topics#JOBS}. Only an opaque id, the model and the geometry:
 * no patient or study attribute ever goes on the queue.
 *
 * @param byteCount  voxel bytes that follow, little-endian in the voxel order of {@link VolumeGeometry}
 * @param chunkCount number of chunk records that follow
 * @param resultKey  the job's own secret (base64), with which the worker signs its answer ({@link ResultSignature});
 *                   null from a gateway that does not authenticate results. Kept out of {@link #toString()}.
 * @param encoding   how each chunk's bytes are written ({@link VoxelEncoding}); {@code byteCount} and {@code chunkCount}
 *                   count the voxel bytes before encoding. Absent in the records of gateways before it: {@link VoxelEncoding#RAW}.
 * @param resultEncoding the label encoding the gateway reads ({@link LabelEncoding}), in which the worker answers when it
 *                   knows it. Absent in the records of gateways before it: {@link LabelEncoding#RAW}.
 */
public record JobHeader(String jobId, String modelName, String modelVersion, VolumeGeometry geometry,
                        VoxelType voxelType, long byteCount, int chunkCount, String resultKey, VoxelEncoding encoding,
                        LabelEncoding resultEncoding) {

    public JobHeader {
        if (encoding == null) encoding = VoxelEncoding.RAW;
        if (resultEncoding == null) resultEncoding = LabelEncoding.RAW;
    }

    public JobHeader(String jobId, String modelName, String modelVersion, VolumeGeometry geometry, VoxelType voxelType,
                     long byteCount, int chunkCount, String resultKey, VoxelEncoding encoding) {
        this(jobId, modelName, modelVersion, geometry, voxelType, byteCount, chunkCount, resultKey, encoding, LabelEncoding.RAW);
    }

    public JobHeader(String jobId, String modelName, String modelVersion, VolumeGeometry geometry, VoxelType voxelType,
                     long byteCount, int chunkCount, String resultKey) {
        this(jobId, modelName, modelVersion, geometry, voxelType, byteCount, chunkCount, resultKey, VoxelEncoding.RAW);
    }

    public JobHeader(String jobId, String modelName, String modelVersion, VolumeGeometry geometry, VoxelType voxelType,
                     long byteCount, int chunkCount) {
        this(jobId, modelName, modelVersion, geometry, voxelType, byteCount, chunkCount, null);
    }

    @Override
    public String toString() {
        return "JobHeader[jobId=" + jobId + ", model=" + modelName + " " + modelVersion + ", geometry=" + geometry
                + ", voxelType=" + voxelType + ", byteCount=" + byteCount + ", chunkCount=" + chunkCount + ", encoding=" + encoding.wireName()
                + ", resultEncoding=" + resultEncoding.wireName()
                + ", resultKey=" + (resultKey == null ? "none" : "(hidden)") + "]";
    }
}
