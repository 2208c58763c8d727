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
        String sop = Spool.requireUid("SOP Instance UID", header.string("SOPInstanceUID"));
        String study = Spool.requireUid("Study Instance UID", header.string("StudyInstanceUID"));
        String series = Spool.requireUid("Series Instance UID", header.string("SeriesInstanceUID"));
        return new ReceivedHeader(header, study, series, sop);
    }
}
