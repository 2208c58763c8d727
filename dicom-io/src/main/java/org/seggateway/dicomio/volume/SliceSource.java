package org.seggateway.dicomio.volume;

/**
 * The DICOM object one slice of a volume came from.
 *
 * @param sopClassUid    null for an {@linkplain #interpolated() interpolated} slice
 * @param sopInstanceUid null for an {@linkplain #interpolated() interpolated} slice
 * @param frameNumber    1-based frame of a multi-frame object, or 0 for a single-frame instance
 */
public record SliceSource(String sopClassUid, String sopInstanceUid, int frameNumber) {

    /**
     * A slice the series lacks (a missing instance in an otherwise regular stack), filled by interpolating
     * its neighbours; there is no source image to reference for it.
     */
    public static SliceSource interpolated() {
        return new SliceSource(null, null, 0);
    }

    public boolean isInterpolated() {
        return sopInstanceUid == null;
    }

    public boolean isFrameOfMultiFrame() {
        return frameNumber > 0;
    }
}
