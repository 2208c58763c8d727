package org.seggateway.gateway.ingest;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.header.PixelDataCheck;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.ingest.InvalidInstanceException.Problem;

/** What every received instance must pass before the gateway keeps it, whichever listener received it. */
final class ReceivedInstanceChecks {

    private ReceivedInstanceChecks() {}

    /** The data set's SOP Instance and Class UIDs are the request's, and its pixel data is present and complete. */
    static void check(ReceivedInstance received, DicomHeader header, String sop, String series) throws IOException {
        if (received.sopInstanceUid() != null && !received.sopInstanceUid().equals(sop))
            throw doesNotMatch("SOPInstanceUID", "instance " + sop + ": SOP Instance UID differs from the C-STORE request's ("
                    + Spool.printable(received.sopInstanceUid()) + ")", "SOP Instance UID differs from the request");
        String sopClass = header.string("SOPClassUID");
        if (received.sopClassUid() != null && !received.sopClassUid().equals(sopClass))
            throw doesNotMatch("SOPClassUID", "instance " + sop + ": SOP Class UID " + Spool.printable(sopClass)
                    + " differs from the C-STORE request's (" + Spool.printable(received.sopClassUid()) + ")",
                    "SOP Class UID differs from the request");
        Optional<String> pixelProblem = PixelDataCheck.problem(received.file(), header);
        if (pixelProblem.isPresent())
            throw doesNotMatch("PixelData", "instance " + sop + " of series " + series + ": " + pixelProblem.get(),
                    "Pixel Data missing or shorter than the image needs");
    }

    private static InvalidInstanceException doesNotMatch(String keyword, String message, String errorComment) {
        return new InvalidInstanceException(Problem.DOES_NOT_MATCH_SOP_CLASS, message, errorComment, List.of(keyword), null);
    }
}
