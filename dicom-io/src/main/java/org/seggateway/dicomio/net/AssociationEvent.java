package org.seggateway.dicomio.net;

import java.net.InetSocketAddress;

/**
 * Something that happened to an association on a {@link DicomReceiver}, for auditing.
 *
 * @param associationId   the running number of the connection, unique among the receivers of this process (from 1 at
 *                        start); the receiver's log lines name it ("association 12")
 * @param type            what happened
 * @param callingAeTitle  the peer's AE title as it sent it
 * @param calledAeTitle   the AE title the peer called
 * @param remoteAddress   the peer's address
 * @param instancesStored instances answered with Success on this association so far
 * @param detail          why (rejection reason, abort cause); empty when there is nothing to add
 */
public record AssociationEvent(long associationId, Type type, String callingAeTitle, String calledAeTitle,
                               InetSocketAddress remoteAddress, int instancesStored, String detail) {

    public enum Type {
        /** A-ASSOCIATE-AC sent. */
        ACCEPTED,
        /** A-ASSOCIATE-RJ sent (unknown calling or called AE title). */
        REJECTED,
        /** Orderly A-RELEASE by the peer. */
        RELEASED,
        /** Ended otherwise: A-ABORT from either side, connection lost, idle timeout, storage handler failure. */
        ABORTED
    }
}
