package org.seggateway.dicomio.seg;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a written SEG back with the toolkit, for attribute checks in tests. */
final class SegReadBack {
    final AttributeList list;

    SegReadBack(Path file) throws IOException {
        list = new AttributeList();
        try {
            list.read(file.toFile());
        } catch (DicomException e) {
            throw new IOException(e);
        }
    }

    String string(String keyword) {
        return string(list, keyword);
    }

    static String string(AttributeList l, String keyword) {
        return Attribute.getDelimitedStringValuesOrEmptyString(l, Elements.tag(keyword));
    }

    static long[] longs(AttributeList l, String keyword) {
        try {
            return l.get(Elements.tag(keyword)).getLongValues();
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[] doubles(AttributeList l, String keyword) {
        try {
            return l.get(Elements.tag(keyword)).getDoubleValues();
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    List<AttributeList> items(String keyword) {
        return items(list, keyword);
    }

    static List<AttributeList> items(AttributeList l, String keyword) {
        List<AttributeList> items = new ArrayList<>();
        SequenceAttribute s = (SequenceAttribute) l.get(Elements.tag(keyword));
        if (s == null) return items;
        for (int i = 0; i < s.getNumberOfItems(); i++) items.add(s.getItem(i).getAttributeList());
        return items;
    }

    /** The single item of a sequence (a functional group macro, a code). */
    static AttributeList item(AttributeList l, String keyword) {
        List<AttributeList> items = items(l, keyword);
        if (items.size() != 1) throw new AssertionError(keyword + " has " + items.size() + " items, expected 1");
        return items.getFirst();
    }

    byte[] pixelData() {
        try {
            return list.get(Elements.tag("PixelData")).getByteValues();
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }
}
