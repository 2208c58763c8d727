package org.seggateway.dicomio.net;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * A C-STORE-RSP command set (PS3.7 9.3.1.2) with, for a failure, the reason in Error Comment (0000,0902) and the
 * attributes at fault in Offending Element (0000,0901). PixelMed's {@code CStoreResponseCommandMessage} has no place
 * for either.
 */
final class StoreResponse {

    private static final AttributeTag COMMAND_GROUP_LENGTH = new AttributeTag(0x0000, 0x0000);
    private static final int C_STORE_RSP = 0x8001;
    private static final int NO_DATA_SET = 0x0101;
    /** Error Comment is LO: at most 64 characters. */
    private static final int ERROR_COMMENT_MAX = 64;

    private StoreResponse() {}

    static byte[] bytes(String sopClassUid, String sopInstanceUid, int messageId, int status, String errorComment,
                        List<AttributeTag> offendingElements) throws DicomException, IOException {
        AttributeList list = new AttributeList();
        putUid(list, TagFromName.AffectedSOPClassUID, sopClassUid);
        putUnsignedShort(list, TagFromName.CommandField, C_STORE_RSP);
        putUnsignedShort(list, TagFromName.MessageIDBeingRespondedTo, messageId);
        putUnsignedShort(list, TagFromName.CommandDataSetType, NO_DATA_SET);
        putUnsignedShort(list, TagFromName.Status, status);
        putUid(list, TagFromName.AffectedSOPInstanceUID, sopInstanceUid);
        if (errorComment != null && !errorComment.isBlank()) {
            LongStringAttribute comment = new LongStringAttribute(TagFromName.ErrorComment);
            comment.addValue(errorCommentText(errorComment));
            list.put(TagFromName.ErrorComment, comment);
        }
        if (!offendingElements.isEmpty()) {
            AttributeTagAttribute offending = new AttributeTagAttribute(TagFromName.OffendingElement);
            for (AttributeTag tag : offendingElements) offending.addValue(tag);
            list.put(TagFromName.OffendingElement, offending);
        }
        int groupLength = encode(list).length;
        UnsignedLongAttribute length = new UnsignedLongAttribute(COMMAND_GROUP_LENGTH);
        length.addValue(groupLength);
        list.put(COMMAND_GROUP_LENGTH, length);
        return encode(list);
    }

    /** Printable ASCII without backslash, at most 64 characters. */
    static String errorCommentText(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (b.length() == ERROR_COMMENT_MAX) break;
            b.append(c >= 0x20 && c < 0x7f && c != '\\' ? c : '?');
        }
        return b.toString().strip();
    }

    private static byte[] encode(AttributeList list) throws DicomException, IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DicomOutputStream out = new DicomOutputStream(bytes, null, TransferSyntax.ImplicitVRLittleEndian);
        list.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void putUid(AttributeList list, AttributeTag tag, String value) throws DicomException {
        UniqueIdentifierAttribute a = new UniqueIdentifierAttribute(tag);
        a.addValue(value == null ? "" : value);
        list.put(tag, a);
    }

    private static void putUnsignedShort(AttributeList list, AttributeTag tag, int value) throws DicomException {
        UnsignedShortAttribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        list.put(tag, a);
    }
}
