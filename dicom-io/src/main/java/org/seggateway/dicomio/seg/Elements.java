package org.seggateway.dicomio.seg;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Small helpers to put typed attributes into a PixelMed {@link AttributeList} by DICOM keyword. */
final class Elements {
    private final AttributeList list;

    private Elements(AttributeList list) {
        this.list = list;
    }

    static Elements into(AttributeList list) {
        return new Elements(list);
    }

    static AttributeTag tag(String keyword) {
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (tag == null) throw new IllegalStateException("not in the toolkit's dictionary: " + keyword);
        return tag;
    }

    Elements uid(String keyword, String value) throws DicomException {
        return put(new UniqueIdentifierAttribute(tag(keyword)), value);
    }

    Elements cs(String keyword, String... values) throws DicomException {
        return put(new CodeStringAttribute(tag(keyword)), values);
    }

    Elements lo(String keyword, String value) throws DicomException {
        return put(new LongStringAttribute(tag(keyword)), value);
    }

    Elements sh(String keyword, String value) throws DicomException {
        return put(new ShortStringAttribute(tag(keyword)), value);
    }

    Elements pn(String keyword, String value) throws DicomException {
        return value.isEmpty() ? put(new PersonNameAttribute(tag(keyword))) : put(new PersonNameAttribute(tag(keyword)), value);
    }

    Elements da(String keyword, String value) throws DicomException {
        return put(new DateAttribute(tag(keyword)), value);
    }

    Elements tm(String keyword, String value) throws DicomException {
        return put(new TimeAttribute(tag(keyword)), value);
    }

    Elements is(String keyword, int value) throws DicomException {
        return put(new IntegerStringAttribute(tag(keyword)), Integer.toString(value));
    }

    Elements ds(String keyword, double... values) throws DicomException {
        String[] s = new String[values.length];
        for (int i = 0; i < values.length; i++) s[i] = decimalString(values[i]);
        return put(new DecimalStringAttribute(tag(keyword)), s);
    }

    Elements us(String keyword, int... values) throws DicomException {
        Attribute a = new UnsignedShortAttribute(tag(keyword));
        for (int v : values) a.addValue(v);
        list.put(a);
        return this;
    }

    Elements ul(String keyword, long... values) throws DicomException {
        Attribute a = new UnsignedLongAttribute(tag(keyword));
        for (long v : values) a.addValue(v);
        list.put(a);
        return this;
    }

    Elements at(String keyword, String pointedToKeyword) throws DicomException {
        AttributeTagAttribute a = new AttributeTagAttribute(tag(keyword));
        a.addValue(tag(pointedToKeyword));
        list.put(a);
        return this;
    }

    /** Adds a sequence with the given items (none for an empty sequence) and returns it. */
    SequenceAttribute sequence(String keyword, AttributeList... items) {
        SequenceAttribute s = new SequenceAttribute(tag(keyword));
        for (AttributeList item : items) s.addItem(item);
        list.put(s);
        return s;
    }

    private Elements put(Attribute a, String... values) throws DicomException {
        for (String v : values) a.addValue(v);
        list.put(a);
        return this;
    }

    /** A Decimal String of at most 16 characters, with as many decimals as fit (at most 6). */
    static String decimalString(double value) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("not a finite number: " + value);
        for (int decimals = 6; decimals >= 0; decimals--) {
            String s = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
            if (s.equals("-0")) s = "0";
            if (s.length() <= 16) return s;
        }
        throw new IllegalArgumentException("number too large for a Decimal String: " + value);
    }
}
