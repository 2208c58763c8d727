package org.seggateway.dicomio.seg;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * Reads a BINARY SEG back into a label map on the grid of its source series. Each frame is placed by its
 * Image Position (Patient) (Plane Position macro) along the grid's slice normal, and its set pixels get the
 * frame's Referenced Segment Number; frame order does not matter. {@link #read} gives one label map, where
 * segments overlap the later frame wins (for display: thumbnails); {@link #readSegments} keeps each segment apart.
 * Not a general SEG import: FRACTIONAL SEGs and grids other than the source's are refused.
 */
public final class SegmentationReader {
    private SegmentationReader() {}

    public static LabelMap read(Path segFile, VolumeGeometry grid) throws IOException {
        byte[] labels = new byte[(int) grid.voxelCount()];
        forEachFrame(segFile, grid, (frame, segment, z, source, pixels, firstBit) -> {
            int frameSize = grid.width() * grid.height(), offset = z * frameSize;
            long bit = firstBit;
            for (int i = 0; i < frameSize; i++, bit++)
                if ((pixels[(int) (bit >>> 3)] >>> (bit & 7) & 1) != 0) labels[offset + i] = (byte) segment;
        });
        return new LabelMap(grid.width(), grid.height(), grid.depth(), labels);
    }

    /**
     * Every segment of the SEG apart, so that overlapping segments stay whole: its voxels on the source grid and,
     * per source slice that has a frame, the SOP Instance UID that frame names as its source image. Segments
     * described without frames are listed with no voxels.
     */
    public static List<SegmentVoxels> readSegments(Path segFile, VolumeGeometry grid) throws IOException {
        Map<Integer, SegmentVoxels> segments = new TreeMap<>();
        AttributeList list = readList(segFile);
        SequenceAttribute described = (SequenceAttribute) list.get(TagFromName.SegmentSequence);
        for (int i = 0; described != null && i < described.getNumberOfItems(); i++) {
            AttributeList item = described.getItem(i).getAttributeList();
            int number = Attribute.getSingleIntegerValueOrDefault(item, TagFromName.SegmentNumber, 0);
            segments.put(number, new SegmentVoxels(number, Attribute.getSingleStringValueOrEmptyString(item, TagFromName.SegmentLabel),
                    grid, new BitSet(), new TreeMap<>()));
        }
        int frameSize = grid.width() * grid.height();
        forEachFrame(segFile, list, grid, (frame, segment, z, source, pixels, firstBit) -> {
            SegmentVoxels s = segments.get(segment);
            if (s == null)
                throw new IOException("SEG " + segFile + ": frame " + (frame + 1) + " names segment " + segment
                        + ", which the Segment Sequence does not describe");
            if (s.sourceBySlice().putIfAbsent(z, source) != null)
                throw new IOException("SEG " + segFile + ": frame " + (frame + 1) + " is the second frame of segment "
                        + segment + " on slice " + z);
            long bit = firstBit;
            int offset = z * frameSize;
            for (int i = 0; i < frameSize; i++, bit++)
                if ((pixels[(int) (bit >>> 3)] >>> (bit & 7) & 1) != 0) s.voxels().set(offset + i);
        });
        return List.copyOf(segments.values());
    }

    /** One frame of a SEG, placed on the source grid. */
    private interface FrameVisitor {
        void frame(int frame, int segment, int z, String sourceSopInstanceUid, byte[] pixels, long firstBit) throws IOException;
    }

    private static void forEachFrame(Path segFile, VolumeGeometry grid, FrameVisitor visitor) throws IOException {
        forEachFrame(segFile, readList(segFile), grid, visitor);
    }

    private static AttributeList readList(Path segFile) throws IOException {
        AttributeList list = new AttributeList();
        try {
            list.read(segFile.toFile());
        } catch (DicomException e) {
            throw new IOException("SEG " + segFile + " is not readable DICOM: " + e.getMessage(), e);
        }
        return list;
    }

    private static void forEachFrame(Path segFile, AttributeList list, VolumeGeometry grid, FrameVisitor visitor)
            throws IOException {
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
            visitor.frame(f, value, z, sourceImage(item), pixels, (long) f * frameSize);
        }
    }

    /** The Referenced SOP Instance UID of the frame's Derivation Image / Source Image, or null. */
    private static String sourceImage(AttributeList frame) {
        AttributeList derivation = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(frame,
                TagFromName.DerivationImageSequence);
        if (derivation == null) return null;
        AttributeList source = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(derivation,
                TagFromName.SourceImageSequence);
        return source == null ? null : Attribute.getSingleStringValueOrNull(source, TagFromName.ReferencedSOPInstanceUID);
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
