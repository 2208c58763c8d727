package org.seggateway.dicomio.header;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The attributes of one DICOM instance without its pixel data: what routing reads (modality, body part,
 * series description) and what a derived object copies (patient, study, frame of reference).
 * Read-only; the toolkit's attribute list stays inside {@code dicom-io}.
 */
public final class DicomHeader {
    private final AttributeList attributes;
    private final long afterStop;

    private DicomHeader(AttributeList attributes, long afterStop) {
        this.attributes = attributes;
        this.afterStop = afterStop;
    }

    /** Reads the header of a Part 10 file, stopping before the pixel data. */
    public static DicomHeader read(Path file) throws IOException {
        AttributeList list = new AttributeList();
        long afterStop;
        try {
            afterStop = list.read(file.toFile(), TagFromName.PixelData);
        } catch (DicomException e) {
            throw new IOException("not a readable DICOM file: " + file + ": " + e.getMessage(), e);
        }
        return new DicomHeader(list, afterStop);
    }

    /** Wraps an attribute list already read by {@code dicom-io}; the pixel data is dropped. */
    public static DicomHeader of(AttributeList list) {
        AttributeList copy = new AttributeList();
        copy.putAll(list);
        copy.remove(TagFromName.PixelData);
        return new DicomHeader(copy, -1);
    }

    /**
     * Where in its file the read of a header {@link #read} stopped: the offset just after the Pixel Data tag (or the end
     * of the file when there is none), as PixelMed reports it; -1 for a header not read from a file.
     */
    long afterStop() {
        return afterStop;
    }

    /** The first value of a string attribute by DICOM keyword (e.g. "Modality"), or "" when absent. */
    public String string(String keyword) {
        return Attribute.getSingleStringValueOrEmptyString(attributes, tag(keyword));
    }

    /** All values of an attribute by keyword, empty when absent. */
    public String[] strings(String keyword) {
        String[] values = Attribute.getStringValues(attributes, tag(keyword));
        return values == null ? new String[0] : values;
    }

    /** For {@code dicom-io} only: the toolkit's view. Other modules must not depend on it. */
    public AttributeList attributeList() {
        return attributes;
    }

    static AttributeTag tag(String keyword) {
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (tag == null) throw new IllegalArgumentException("unknown DICOM keyword: " + keyword);
        return tag;
    }
}
