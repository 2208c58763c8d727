package org.seggateway.dicomio.net;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import java.util.List;

/**
 * Thrown by a {@link StorageHandler} to answer the C-STORE with a failure status instead of aborting. The response
 * carries {@link #errorComment()} in Error Comment (0000,0902) and, when the fault lies in named attributes, their tags
 * in Offending Element (0000,0901). The message is for our log; the Error Comment goes to the sender and holds no
 * patient data.
 */
public class StoreRefusedException extends Exception {

    private final int status;
    private final String errorComment;
    private final List<String> offendingElements;

    /** @param status a C-STORE failure status, e.g. {@link DimseStatus#CANNOT_UNDERSTAND}; the message is the comment */
    public StoreRefusedException(int status, String message) {
        this(status, message, message, List.of());
    }

    /**
     * @param errorComment      for the sender: short (cut to 64 characters), no patient data
     * @param offendingElements DICOM keywords of the attributes at fault (e.g. "SOPClassUID"); empty if none
     */
    public StoreRefusedException(int status, String message, String errorComment, List<String> offendingElements) {
        super(message);
        if (!DimseStatus.isFailure(status))
            throw new IllegalArgumentException("not a failure status: " + DimseStatus.toHex(status));
        this.status = status;
        this.errorComment = errorComment;
        this.offendingElements = List.copyOf(offendingElements);
        offendingTags(); // an unknown keyword is a programming error: fail here, not when answering
    }

    public int status() {
        return status;
    }

    public String errorComment() {
        return errorComment;
    }

    /** Keywords of the attributes at fault, in the order given. */
    public List<String> offendingElements() {
        return offendingElements;
    }

    List<AttributeTag> offendingTags() {
        return offendingElements.stream().map(StoreRefusedException::tag).toList();
    }

    private static AttributeTag tag(String keyword) {
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (tag == null) throw new IllegalArgumentException("unknown DICOM keyword: " + keyword);
        return tag;
    }
}
