package org.seggateway.dicomio.net;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.CompositeResponseHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects DIMSE responses on the SCU side until the final (non-pending) one: its whole command (status, error
 * comment, sub-operation counts) and, for C-FIND, the identifiers of the pending responses. PixelMed's own handlers
 * keep only success/failure.
 */
final class ResponseReader extends CompositeResponseHandler {

    private final List<AttributeList> identifiers = new ArrayList<>();
    private AttributeList finalCommand;

    ResponseReader(boolean identifiersExpected) {
        allowData = identifiersExpected;
    }

    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList command) {
        status = Attribute.getSingleIntegerValueOrDefault(command, TagFromName.Status, 0xFFFF);
        success = DimseStatus.isDone(status);
        if (!DimseStatus.isPending(status)) {
            finalCommand = command;
            setDone(true);
        }
    }

    @Override
    protected void makeUseOfDataSet(AttributeList identifier) {
        identifiers.add(identifier);
    }

    List<AttributeList> identifiers() {
        return identifiers;
    }

    String errorComment() {
        return finalCommand == null ? "" : Attribute.getSingleStringValueOrEmptyString(finalCommand, TagFromName.ErrorComment);
    }

    int count(com.pixelmed.dicom.AttributeTag tag) {
        return finalCommand == null ? 0 : Attribute.getSingleIntegerValueOrDefault(finalCommand, tag, 0);
    }
}
