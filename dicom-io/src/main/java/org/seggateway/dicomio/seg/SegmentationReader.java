package org.seggateway.dicomio.seg;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * Reads a BINARY SEG back into a label map on the grid of its source series. Each frame is placed by its
 * Image Position (Patient) (Plane Position macro) along the grid's slice normal, and its set pixels get the
 * frame's Referenced Segment Number. Where segments overlap, the later frame wins. Meant for display
 * (thumbnails), not for a general SEG import: FRACTIONAL SEGs and grids other than the source's are refused.
 */
public final class SegmentationReader {
    private SegmentationReader() {}

    public static LabelMap read(Path segFile, VolumeGeometry grid) throws IOException {
        AttributeList list = new AttributeList();
        try {
            list.read(segFile.toFile());
        } catch (DicomException e) {
            throw new IOException("SEG " + segFile + " is not readable DICOM: " + e.getMessage(), e);
        }
        String where = "SEG " + segFile;
        String type = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SegmentationType);
        if (!"BINARY".equals(type)) throw new IOException(where + ": SegmentationType '" + type + "', only BINARY is read");
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, -1);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, -1);
        if (rows != grid.height() || columns != grid.width())
            throw new IOException(where + ": frames of " + columns + "x" + rows + " do not match the source grid "
                    + grid.width() + "x" + grid.height());
        SequenceAttribute perFrame = (SequenceAttribute) list.get(TagFromName.PerFrameFunctionalGroupsSequence);
        int frames = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 0);
        if (perFrame == null || perFrame.getNumberOfItems() != frames)
            throw new IOException(where + ": PerFrameFunctionalGroupsSequence does not list its " + frames + " frames");
        byte[] pixels = pixelBytes(list, where);
        int frameSize = rows * columns;
        if ((long) pixels.length * 8 < (long) frames * frameSize)
            throw new IOException(where + ": PixelData holds " + pixels.length + " bytes, too few for " + frames + " frames");

        byte[] labels = new byte[(int) grid.voxelCount()];
        double[] origin = grid.origin(), normal = grid.axis(2);
        for (int f = 0; f < frames; f++) {
            AttributeList item = perFrame.getItem(f).getAttributeList();
            AttributeList segment = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(item,
                    TagFromName.SegmentIdentificationSequence);
            AttributeList position = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(item,
                    TagFromName.PlanePositionSequence);
            if (segment == null || position == null)
                throw new IOException(where + ": frame " + (f + 1) + " lacks its segment or plane position");
            int value = Attribute.getSingleIntegerValueOrDefault(segment, TagFromName.ReferencedSegmentNumber, 0);
            double[] p = Attribute.getDoubleValues(position, TagFromName.ImagePositionPatient);
            if (value < 1 || value > 255 || p == null || p.length != 3)
                throw new IOException(where + ": frame " + (f + 1) + " has no valid segment number or Image Position (Patient)");
            double along = 0;
            for (int i = 0; i < 3; i++) along += (p[i] - origin[i]) * normal[i];
            int z = (int) Math.round(along / grid.spacing()[2]);
            if (z < 0 || z >= grid.depth())
                throw new IOException(where + ": frame " + (f + 1) + " lies outside the source grid (slice " + z + ")");
            long bit = (long) f * frameSize;
            int offset = z * frameSize;
            for (int i = 0; i < frameSize; i++, bit++)
                if ((pixels[(int) (bit >>> 3)] >>> (bit & 7) & 1) != 0) labels[offset + i] = (byte) value;
        }
        return new LabelMap(grid.width(), grid.height(), grid.depth(), labels);
    }

    /** The packed bits as bytes in stream order, whether PixelMed holds the value as OB or as OW (little endian). */
    private static byte[] pixelBytes(AttributeList list, String where) throws IOException {
        Attribute pixelData = list.get(TagFromName.PixelData);
        if (pixelData == null) throw new IOException(where + ": no PixelData");
        try {
            if ("OW".equals(com.pixelmed.dicom.ValueRepresentation.getAsString(pixelData.getVR()))) {
                short[] words = pixelData.getShortValues();
                byte[] bytes = new byte[words.length * 2];
                for (int i = 0; i < words.length; i++) {
                    bytes[2 * i] = (byte) words[i];
                    bytes[2 * i + 1] = (byte) (words[i] >>> 8);
                }
                return bytes;
            }
            return pixelData.getByteValues();
        } catch (DicomException e) {
            throw new IOException(where + ": PixelData not readable: " + e.getMessage(), e);
        }
    }
}
