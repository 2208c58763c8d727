package org.seggateway.gateway.ingest;

import java.io.IOException;
import java.util.List;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.uid.UidGenerator;
import org.seggateway.gateway.ingest.InvalidInstanceException.Problem;

/** A received instance's header with its three UIDs checked (digits and dots) before any of them names a path. */
record ReceivedHeader(DicomHeader header, String studyUid, String seriesUid, String sopUid) {

    /** @throws InvalidInstanceException when the header cannot be read or a UID is missing, multi-valued or invalid */
    static ReceivedHeader read(ReceivedInstance received) {
        DicomHeader header;
        try {
            header = DicomHeader.read(received.file());
        } catch (IOException e) {
            throw new InvalidInstanceException(Problem.CANNOT_UNDERSTAND, "unreadable DICOM header from "
                    + received.callingAeTitle() + ": " + e.getMessage(), "DICOM data set cannot be read", List.of(), e);
        }
        String sop = uid(header, "SOPInstanceUID", "SOP Instance UID");
        String study = uid(header, "StudyInstanceUID", "Study Instance UID");
        String series = uid(header, "SeriesInstanceUID", "Series Instance UID");
        return new ReceivedHeader(header, study, series, sop);
    }

    /** The value of a UID attribute, whose value multiplicity must be 1: one of several values would be read as its first. */
    private static String uid(DicomHeader header, String keyword, String what) {
        String[] values = header.strings(keyword);
        if (values.length > 1)
            throw refused(keyword, what + " has " + values.length + " values: '"
                    + Spool.printable(String.join("\\", values)) + "'", what + " has several values");
        String uid = header.string(keyword);
        if (!UidGenerator.isValid(uid))
            throw refused(keyword, what + " is not a valid UID (digits and dots, at most 64 characters): '"
                    + Spool.printable(uid) + "'", what + (uid.isEmpty() ? " is missing" : " is not a valid UID"));
        return uid;
    }

    private static InvalidInstanceException refused(String keyword, String message, String errorComment) {
        return new InvalidInstanceException(Problem.CANNOT_UNDERSTAND, message, errorComment, List.of(keyword), null);
    }
}
