package org.seggateway.dicomio.net;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Query identifiers between our keyword maps ({@code "StudyInstanceUID" -> "1.2.3"}) and PixelMed attribute lists. */
final class Identifiers {

    private Identifiers() {}

    /** Identifier with the level, the matching keys with their values and the return keys empty. */
    static AttributeList build(QueryLevel level, Map<String, String> matchingKeys, Collection<String> returnKeys)
            throws DicomException {
        AttributeList list = new AttributeList();
        Attribute qrLevel = new CodeStringAttribute(TagFromName.QueryRetrieveLevel);
        qrLevel.addValue(level.name());
        list.put(qrLevel);
        for (String keyword : returnKeys) list.put(attribute(keyword));
        for (Map.Entry<String, String> key : matchingKeys.entrySet()) {
            Attribute a = attribute(key.getKey());
            if (key.getValue() != null && !key.getValue().isEmpty()) a.addValue(key.getValue());
            list.put(a);
        }
        return list;
    }

    /** Keyword to value (multiple values joined by backslash) for every non-sequence attribute of a response. */
    static Map<String, String> toMap(AttributeList identifier) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Object item : identifier.values()) {
            Attribute a = (Attribute) item;
            if (a instanceof SequenceAttribute) continue;
            String keyword = DicomDictionary.StandardDictionary.getNameFromTag(a.getTag());
            values.put(keyword != null ? keyword : a.getTag().toString(), a.getDelimitedStringValuesOrEmptyString().strip());
        }
        return values;
    }

    static byte[] encode(AttributeList identifier, String transferSyntaxUid) throws IOException, DicomException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        identifier.write(bytes, transferSyntaxUid, false, true);
        return bytes.toByteArray();
    }

    private static Attribute attribute(String keyword) throws DicomException {
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (tag == null) throw new IllegalArgumentException("unknown DICOM keyword in query: " + keyword);
        return AttributeFactory.newAttribute(tag, DicomDictionary.StandardDictionary.getValueRepresentationFromTag(tag));
    }
}
