package org.seggateway.dicomio.net;

/**
 * Called by {@link DicomReceiver} for every C-STORE, after the instance is completely on disk and before the
 * C-STORE response is sent. The response depends on how this method ends:
 * <ul>
 *   <li>it returns: Success (0x0000). So do the durable work (copy/move to the spool, fsync, commit) before
 *       returning;</li>
 *   <li>it throws {@link StoreRefusedException}: that failure status, the association goes on (for an instance that
 *       must not be retried as is, e.g. an invalid UID or a malformed data set);</li>
 *   <li>it throws anything else: no response, the association is aborted (A-ABORT), so the sender sees the
 *       transfer failed and retries later (for transient trouble: disk full, database down).</li>
 * </ul>
 * Called concurrently from several associations.
 */
@FunctionalInterface
public interface StorageHandler {

    void store(ReceivedInstance instance) throws Exception;
}
