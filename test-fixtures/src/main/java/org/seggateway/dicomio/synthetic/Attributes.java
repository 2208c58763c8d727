package org.seggateway.dicomio.synthetic;

import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;

/** Terse attribute-list building by DICOM keyword, the value representation taken from the dictionary. */
final class Attributes {
    private Attributes() {}

    static AttributeList set(AttributeList list, String keyword, String... values) throws DicomException {
        var a = AttributeFactory.newAttribute(tag(keyword));
        for (String v : values) a.addValue(v);
        list.put(a);
        return list;
    }

    static AttributeList set(AttributeList list, String keyword, int value) throws DicomException {
        var a = AttributeFactory.newAttribute(tag(keyword));
        a.addValue(value);
        list.put(a);
        return list;
    }

    /** Puts a sequence of the given items (none for an empty type 2 sequence). */
    static AttributeList sequence(AttributeList list, String keyword, AttributeList... items) {
        SequenceAttribute s = new SequenceAttribute(tag(keyword));
        for (AttributeList item : items) s.addItem(item);
        list.put(s);
        return list;
    }

    static AttributeList code(String value, String scheme, String meaning) throws DicomException {
        AttributeList item = new AttributeList();
        set(item, "CodeValue", value);
        set(item, "CodingSchemeDesignator", scheme);
        set(item, "CodeMeaning", meaning);
        return item;
    }

    static AttributeTag tag(String keyword) {
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (tag == null) throw new IllegalArgumentException("unknown DICOM keyword: " + keyword);
        return tag;
    }
}
