package org.seggateway.dicomio.net;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.CFindRequestCommandMessage;
import com.pixelmed.network.CMoveRequestCommandMessage;
import com.pixelmed.network.DicomNetworkException;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Study-root C-FIND and C-MOVE, each over an association of its own. */
final class QueryRetrieveScu {
    private static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    private static final String STUDY_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";

    private final SenderOptions options;

    QueryRetrieveScu(SenderOptions options) {
        this.options = options;
    }

    /** See {@link DicomSender#find}. */
    List<Map<String, String>> find(RemoteAe peer, QueryLevel level, Map<String, String> matchingKeys,
                                   Collection<String> returnKeys) throws IOException {
        Association association = ScuAssociations.open(options, peer, List.of(ScuAssociations.singleContext(STUDY_ROOT_FIND)));
        try {
            byte contextId = association.getSuitablePresentationContextID(STUDY_ROOT_FIND);
            AttributeList identifier = Identifiers.build(level, matchingKeys, returnKeys);
            ResponseReader response = new ResponseReader(true);
            association.setReceivedDataHandler(response);
            association.send(contextId, new CFindRequestCommandMessage(STUDY_ROOT_FIND).getBytes(), null);
            association.send(contextId, null,
                    Identifiers.encode(identifier, association.getTransferSyntaxForPresentationContextID(contextId)));
            association.waitForPDataPDUsUntilHandlerReportsDone();
            if (response.getStatus() != DimseStatus.SUCCESS)
                throw new DicomAssociationException("C-FIND at " + peer + " ended with status "
                        + DimseStatus.toHex(response.getStatus()) + " " + response.errorComment());
            ScuAssociations.release(association);
            return response.identifiers().stream().map(Identifiers::toMap).toList();
        } catch (DicomNetworkException | DicomException | AReleaseException e) {
            throw ScuAssociations.failed("C-FIND", peer, e);
        } finally {
            ScuAssociations.closeSocket(association);
        }
    }

    /** See {@link DicomSender#move}. */
    MoveResult move(RemoteAe peer, String destinationAeTitle, QueryLevel level, Map<String, String> keys) throws IOException {
        String destination = AeTitles.check(destinationAeTitle, "move destination AE title");
        Association association = ScuAssociations.open(options, peer, List.of(ScuAssociations.singleContext(STUDY_ROOT_MOVE)));
        try {
            byte contextId = association.getSuitablePresentationContextID(STUDY_ROOT_MOVE);
            ResponseReader response = new ResponseReader(true);
            association.setReceivedDataHandler(response);
            association.send(contextId, new CMoveRequestCommandMessage(STUDY_ROOT_MOVE, destination).getBytes(), null);
            association.send(contextId, null, Identifiers.encode(Identifiers.build(level, keys, List.of()),
                    association.getTransferSyntaxForPresentationContextID(contextId)));
            association.waitForPDataPDUsUntilHandlerReportsDone();
            MoveResult result = new MoveResult(response.getStatus(),
                    response.count(TagFromName.NumberOfCompletedSuboperations),
                    response.count(TagFromName.NumberOfFailedSuboperations),
                    response.count(TagFromName.NumberOfWarningSuboperations),
                    response.count(TagFromName.NumberOfRemainingSuboperations), response.errorComment());
            ScuAssociations.release(association);
            return result;
        } catch (DicomNetworkException | DicomException | AReleaseException e) {
            throw ScuAssociations.failed("C-MOVE", peer, e);
        } finally {
            ScuAssociations.closeSocket(association);
        }
    }
}
