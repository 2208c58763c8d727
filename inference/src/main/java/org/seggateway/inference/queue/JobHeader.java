package org.seggateway.inference.queue;

import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;

/**
 * The first record of a job on {@link Topics#JOBS}. Only an opaque id, the model and the geometry:
 * no patient or study attribute ever goes on the queue.
 *
 * @param byteCount  voxel bytes that follow, little-endian in the voxel order of {@link VolumeGeometry}
 * @param chunkCount number of chunk records that follow
 */
public record JobHeader(String jobId, String modelName, String modelVersion, VolumeGeometry geometry,
                        VoxelType voxelType, long byteCount, int chunkCount) {
}
