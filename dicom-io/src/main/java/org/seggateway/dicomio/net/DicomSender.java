package org.seggateway.dicomio.net;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.DicomNetworkException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * DICOM SCU: C-ECHO, C-STORE of many files over one association ({@link StoreScu}), C-FIND and C-MOVE, study root
 * ({@link QueryRetrieveScu}). Built on PixelMed's association (upper layer, opened by {@link ScuAssociations}) with
 * our own DIMSE request/response handling, so that every C-STORE gets its own DICOM status and a C-MOVE its
 * sub-operation counts (PixelMed's SCU classes keep only success/failure and swallow errors), and with TCP_NODELAY set
 * on the socket PixelMed opens.
 *
 * <p>Failures to reach or associate with the peer throw {@link DicomAssociationException} naming {@code AET@host:port}.
 * A connect to an unreachable host waits for the operating system's connect timeout (PixelMed opens the socket).
 * Thread-safe: each call uses its own association.
 */
public final class DicomSender {
    private static final String VERIFICATION = "1.2.840.10008.1.1";

    private final SenderOptions options;
    private final StoreScu store;
    private final QueryRetrieveScu queryRetrieve;

    public DicomSender(SenderOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.store = new StoreScu(options);
        this.queryRetrieve = new QueryRetrieveScu(options);
    }

    public DicomSender(String callingAeTitle) {
        this(SenderOptions.defaults(callingAeTitle));
    }

    /** C-ECHO; throws unless the peer answers Success. */
    public void echo(RemoteAe peer) throws IOException {
        Association association = ScuAssociations.open(options, peer, List.of(ScuAssociations.singleContext(VERIFICATION)));
        try {
            ResponseReader response = new ResponseReader(false);
            association.setReceivedDataHandler(response);
            association.send(association.getSuitablePresentationContextID(VERIFICATION),
                    new CEchoRequestCommandMessage().getBytes(), null);
            association.waitForPDataPDUsUntilHandlerReportsDone();
            if (response.getStatus() != DimseStatus.SUCCESS)
                throw new DicomAssociationException("C-ECHO to " + peer + " answered " + DimseStatus.toHex(response.getStatus()));
            ScuAssociations.release(association);
        } catch (DicomNetworkException | DicomException | AReleaseException e) {
            throw ScuAssociations.failed("C-ECHO", peer, e);
        } finally {
            ScuAssociations.closeSocket(association);
        }
    }

    /**
     * Sends Part 10 files over one association, in order. A file that cannot be read or whose SOP class / transfer
     * syntax the peer did not accept is reported and skipped; if the association breaks, the file in flight and all
     * after it are reported with {@link DimseStatus#NO_RESPONSE}. Throws only when no association can be opened.
     */
    public StoreResult store(RemoteAe peer, List<Path> files) throws IOException {
        return store.store(peer, files);
    }

    /**
     * Study-root C-FIND. Returns one map per match, DICOM keyword to value (multiple values joined by backslash);
     * {@code returnKeys} are keywords requested empty. Throws if the final status is not Success.
     */
    public List<Map<String, String>> find(RemoteAe peer, QueryLevel level, Map<String, String> matchingKeys,
                                          Collection<String> returnKeys) throws IOException {
        return queryRetrieve.find(peer, level, matchingKeys, returnKeys);
    }

    /**
     * Study-root C-MOVE of what {@code keys} select (e.g. StudyInstanceUID and SeriesInstanceUID at SERIES level) to
     * {@code destinationAeTitle}, which the peer must know. Returns the final status and sub-operation counts;
     * throws only if the association fails.
     */
    public MoveResult move(RemoteAe peer, String destinationAeTitle, QueryLevel level, Map<String, String> keys)
            throws IOException {
        return queryRetrieve.move(peer, destinationAeTitle, level, keys);
    }
}
