package org.seggateway.dicomio.volume;

import java.nio.file.Path;
import org.seggateway.dicomio.header.DicomHeader;

/**
 * One DICOM image file found by {@link DicomFolderScanner}: its header (read up to the pixel data) and
 * where the Pixel Data element starts, so that the pixels can be read later straight into a volume.
 *
 * @param pixelDataOffset byte offset of the Pixel Data element's tag in the file, or -1 when unknown
 */
public record InstanceFile(Path file, DicomHeader header, long pixelDataOffset) {

    public String sopInstanceUid() {
        return header.string("SOPInstanceUID");
    }

    public String seriesInstanceUid() {
        return header.string("SeriesInstanceUID");
    }
}
