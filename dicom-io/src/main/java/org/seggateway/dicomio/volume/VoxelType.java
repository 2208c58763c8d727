package org.seggateway.dicomio.volume;

/**
 * How a volume holds its voxels after Rescale Slope/Intercept are applied (modality values, e.g. HU).
 * {@link #INT16} when every rescaled value is an integer in [-32768, 32767] (the usual CT case),
 * {@link #UINT16} when they are integers in [0, 65535] (MR with high values), else {@link #FLOAT32}.
 */
public enum VoxelType {
    INT16, UINT16, FLOAT32
}
