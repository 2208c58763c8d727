package org.seggateway.dicomio.volume;

/**
 * The DICOM object one slice of a volume came from.
 *
 * @param frameNumber 1-based frame of a multi-frame object, or 0 for a single-frame instance
 */
public record SliceSource(String sopClassUid, String sopInstanceUid, int frameNumber) {
    public boolean isFrameOfMultiFrame() {
        return frameNumber > 0;
    }
}
