package org.seggateway.dicomio.net;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * One instance received by C-STORE, as handed to the {@link StorageHandler}.
 *
 * @param file              the complete Part 10 file (File Meta Information written by us, then the data set exactly
 *                          as received); closed but not fsynced; deleted after the handler returns unless the handler
 *                          moved it away
 * @param sopClassUid       Affected SOP Class UID of the C-STORE request (not validated)
 * @param sopInstanceUid    Affected SOP Instance UID of the C-STORE request (not validated: never use it as a path
 *                          without checking it)
 * @param transferSyntaxUid transfer syntax of the data set (the accepted presentation context's)
 * @param callingAeTitle    the sender's AE title
 * @param remoteAddress     the sender's address
 * @param associationId     the number of the association (matches {@link AssociationEvent#associationId()})
 * @param dataSetSha256     SHA-256 (lowercase hex) of the data set as received, i.e. of the file after its File Meta
 *                          Information, computed while it was written; null when the receiver did not compute it
 */
public record ReceivedInstance(Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
                               String callingAeTitle, InetSocketAddress remoteAddress, long associationId,
                               String dataSetSha256) {

    /** An instance whose data set hash is not known yet. */
    public ReceivedInstance(Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
                            String callingAeTitle, InetSocketAddress remoteAddress, long associationId) {
        this(file, sopClassUid, sopInstanceUid, transferSyntaxUid, callingAeTitle, remoteAddress, associationId, null);
    }
}
