package org.seggateway.gateway.ingest;

import java.io.IOException;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.ReceivedInstance;

/** A received instance's header with its three UIDs checked (digits and dots) before any of them names a path. */
record ReceivedHeader(DicomHeader header, String studyUid, String seriesUid, String sopUid) {

    /** @throws InvalidInstanceException when the header cannot be read or a UID is invalid */
    static ReceivedHeader read(ReceivedInstance received) {
        DicomHeader header;
        try {
            header = DicomHeader.read(received.file());
        } catch (IOException e) {
            throw new InvalidInstanceException("unreadable DICOM header from " + received.callingAeTitle() + ": " + e.getMessage(), e);
        }
        String sop = Spool.requireUid("SOP Instance UID", single(header, "SOPInstanceUID", "SOP Instance UID"));
        String study = Spool.requireUid("Study Instance UID", single(header, "StudyInstanceUID", "Study Instance UID"));
        String series = Spool.requireUid("Series Instance UID", single(header, "SeriesInstanceUID", "Series Instance UID"));
        return new ReceivedHeader(header, study, series, sop);
    }

    /** The value of an attribute whose value multiplicity must be 1: a UID of several values would be read as its first. */
    private static String single(DicomHeader header, String keyword, String what) {
        String[] values = header.strings(keyword);
        if (values.length > 1)
            throw new InvalidInstanceException(what + " has " + values.length + " values: '"
                    + Spool.printable(String.join("\\", values)) + "'");
        return header.string(keyword);
    }
}
