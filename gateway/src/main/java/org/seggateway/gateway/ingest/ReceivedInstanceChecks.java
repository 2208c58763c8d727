package org.seggateway.gateway.ingest;

import java.io.IOException;
import java.util.Optional;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.header.PixelDataCheck;
import org.seggateway.dicomio.net.ReceivedInstance;

/** What every received instance must pass before the gateway keeps it, whichever listener received it. */
final class ReceivedInstanceChecks {

    private ReceivedInstanceChecks() {}

    /** The data set's SOP Instance and Class UIDs are the request's, and its pixel data is present and complete. */
    static void check(ReceivedInstance received, DicomHeader header, String sop, String series) throws IOException {
        if (received.sopInstanceUid() != null && !received.sopInstanceUid().equals(sop))
            throw new InvalidInstanceException(InvalidInstanceException.Problem.DOES_NOT_MATCH_SOP_CLASS, "instance " + sop
                    + ": SOP Instance UID differs from the C-STORE request's (" + Spool.printable(received.sopInstanceUid()) + ")", null);
        String sopClass = header.string("SOPClassUID");
        if (received.sopClassUid() != null && !received.sopClassUid().equals(sopClass))
            throw new InvalidInstanceException(InvalidInstanceException.Problem.DOES_NOT_MATCH_SOP_CLASS, "instance " + sop
                    + ": SOP Class UID " + Spool.printable(sopClass) + " differs from the C-STORE request's ("
                    + Spool.printable(received.sopClassUid()) + ")", null);
        Optional<String> pixelProblem = PixelDataCheck.problem(received.file());
        if (pixelProblem.isPresent())
            throw new InvalidInstanceException(InvalidInstanceException.Problem.DOES_NOT_MATCH_SOP_CLASS,
                    "instance " + sop + " of series " + series + ": " + pixelProblem.get(), null);
    }
}
