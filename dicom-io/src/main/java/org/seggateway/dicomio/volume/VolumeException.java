package org.seggateway.dicomio.volume;

/**
 * A series that cannot be assembled into a {@link Volume}: inconsistent geometry, unsupported pixel
 * encoding, unreadable pixel data. Checked, because a gateway must decide per series what to do with it.
 * The message always starts with the Series Instance UID.
 */
public final class VolumeException extends Exception {
    private final String seriesInstanceUid;

    public VolumeException(String seriesInstanceUid, String problem) {
        super("series " + seriesInstanceUid + ": " + problem);
        this.seriesInstanceUid = seriesInstanceUid;
    }

    public VolumeException(String seriesInstanceUid, String problem, Throwable cause) {
        super("series " + seriesInstanceUid + ": " + problem, cause);
        this.seriesInstanceUid = seriesInstanceUid;
    }

    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }
}
