package org.seggateway.gateway.ingest;

import java.nio.file.Path;

/** A C-STORE request as the DICOM listener hands it over: the file it wrote and who sent it. */
public record ReceivedInstance(Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
                               String callingAeTitle, String remoteAddress) {
}
