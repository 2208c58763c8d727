package org.seggateway.dicomio.net;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.DicomStreamCopier;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CFindRequestCommandMessage;
import com.pixelmed.network.CMoveRequestCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PresentationContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * DICOM SCU: C-ECHO, C-STORE of many files over one association, C-FIND and C-MOVE (study root). Built on PixelMed's
 * association (upper layer) with our own DIMSE request/response handling, so that every C-STORE gets its own DICOM
 * status and a C-MOVE its sub-operation counts (PixelMed's SCU classes keep only success/failure and swallow errors),
 * and with TCP_NODELAY set on the socket PixelMed opens.
 *
 * <p>Failures to reach or associate with the peer throw {@link DicomAssociationException} naming {@code AET@host:port}.
 * A connect to an unreachable host waits for the operating system's connect timeout (PixelMed opens the socket).
 * Thread-safe: each call uses its own association.
 */
public final class DicomSender {

    private static final System.Logger LOG = System.getLogger(DicomSender.class.getName());
    private static final String VERIFICATION = "1.2.840.10008.1.1";
    private static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    private static final String STUDY_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";
    private static final List<String> UNCOMPRESSED = List.of(StoragePresentationContextPolicy.EXPLICIT_VR_LITTLE_ENDIAN,
            StoragePresentationContextPolicy.IMPLICIT_VR_LITTLE_ENDIAN, "1.2.840.10008.1.2.2");
    private static final int MAX_PRESENTATION_CONTEXTS = 128;

    private final SenderOptions options;

    public DicomSender(SenderOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public DicomSender(String callingAeTitle) {
        this(SenderOptions.defaults(callingAeTitle));
    }

    /** C-ECHO; throws unless the peer answers Success. */
    public void echo(RemoteAe peer) throws IOException {
        Association association = open(peer, List.of(context(1, VERIFICATION, UNCOMPRESSED.subList(0, 2))));
        try {
            ResponseReader response = new ResponseReader(false);
            association.setReceivedDataHandler(response);
            association.send(association.getSuitablePresentationContextID(VERIFICATION),
                    new CEchoRequestCommandMessage().getBytes(), null);
            association.waitForPDataPDUsUntilHandlerReportsDone();
            if (response.getStatus() != DimseStatus.SUCCESS)
                throw new DicomAssociationException("C-ECHO to " + peer + " answered " + DimseStatus.toHex(response.getStatus()));
            release(association);
        } catch (DicomNetworkException | DicomException | AReleaseException e) {
            throw failed("C-ECHO", peer, e);
        } finally {
            closeSocket(association);
        }
    }

    /**
     * Sends Part 10 files over one association, in order. A file that cannot be read or whose SOP class / transfer
     * syntax the peer did not accept is reported and skipped; if the association breaks, the file in flight and all
     * after it are reported with {@link DimseStatus#NO_RESPONSE}. Throws only when no association can be opened.
     */
    public StoreResult store(RemoteAe peer, List<Path> files) throws IOException {
        StoreOutcome[] outcomes = new StoreOutcome[files.size()];
        List<FileToSend> toSend = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            try {
                toSend.add(FileToSend.read(i, file));
            } catch (IOException | DicomException e) {
                outcomes[i] = new StoreOutcome(file, "", DimseStatus.NO_RESPONSE, "not sent, unreadable: " + e.getMessage());
            }
        }
        if (!toSend.isEmpty()) {
            Association association = open(peer, proposals(toSend));
            try {
                sendAll(association, peer, toSend, outcomes);
            } finally {
                closeSocket(association);
            }
        }
        return new StoreResult(peer, List.of(outcomes));
    }

    private void sendAll(Association association, RemoteAe peer, List<FileToSend> toSend, StoreOutcome[] outcomes) {
        for (int n = 0; n < toSend.size(); n++) {
            FileToSend f = toSend.get(n);
            try {
                outcomes[f.index()] = sendOne(association, f);
            } catch (DicomNetworkException | DicomException | AReleaseException | IOException e) {
                String reason = "association with " + peer + " lost: " + message(e);
                LOG.log(System.Logger.Level.WARNING, "C-STORE of " + f.file() + " failed, " + reason);
                for (FileToSend rest : toSend.subList(n, toSend.size()))
                    outcomes[rest.index()] = new StoreOutcome(rest.file(), rest.sopInstanceUid(), DimseStatus.NO_RESPONSE, reason);
                abort(association);
                return;
            }
        }
        try {
            release(association);
        } catch (DicomNetworkException e) { // all responses are in; a failed release loses nothing
            LOG.log(System.Logger.Level.DEBUG, "release of association with " + peer + " failed: " + e.getMessage());
        }
    }

    private StoreOutcome sendOne(Association association, FileToSend f)
            throws DicomNetworkException, DicomException, AReleaseException, IOException {
        byte contextId;
        String transferSyntax;
        try {
            contextId = association.getSuitablePresentationContextID(f.sopClassUid(), f.transferSyntaxUid());
            transferSyntax = f.transferSyntaxUid();
        } catch (DicomNetworkException exactNotAccepted) {
            if (!UNCOMPRESSED.contains(f.transferSyntaxUid()))
                return new StoreOutcome(f.file(), f.sopInstanceUid(), DimseStatus.NO_RESPONSE, "not sent: peer accepted "
                        + "no presentation context for " + f.sopClassUid() + " in " + f.transferSyntaxUid());
            try {
                contextId = association.getSuitablePresentationContextID(f.sopClassUid());
            } catch (DicomNetworkException none) {
                return new StoreOutcome(f.file(), f.sopInstanceUid(), DimseStatus.NO_RESPONSE,
                        "not sent: peer accepted no presentation context for " + f.sopClassUid());
            }
            transferSyntax = association.getTransferSyntaxForPresentationContextID(contextId);
        }
        ResponseReader response = new ResponseReader(false);
        association.setReceivedDataHandler(response);
        association.send(contextId, new CStoreRequestCommandMessage(f.sopClassUid(), f.sopInstanceUid()).getBytes(), null);
        try (DicomInputStream in = f.openDataSet()) {
            OutputStream out = association.getAssociationOutputStream(contextId);
            if (transferSyntax.equals(f.transferSyntaxUid())) {
                in.transferTo(out);
                out.close(); // sends the last fragment
            } else {
                new DicomStreamCopier(in, new DicomOutputStream(out, null, transferSyntax)); // closes out itself
            }
        }
        association.waitForPDataPDUsUntilHandlerReportsDone();
        return new StoreOutcome(f.file(), f.sopInstanceUid(), response.getStatus(), response.errorComment());
    }

    /**
     * Study-root C-FIND. Returns one map per match, DICOM keyword to value (multiple values joined by backslash);
     * {@code returnKeys} are keywords requested empty. Throws if the final status is not Success.
     */
    public List<Map<String, String>> find(RemoteAe peer, QueryLevel level, Map<String, String> matchingKeys,
                                          Collection<String> returnKeys) throws IOException {
        Association association = open(peer, List.of(context(1, STUDY_ROOT_FIND, UNCOMPRESSED.subList(0, 2))));
        try {
            byte contextId = association.getSuitablePresentationContextID(STUDY_ROOT_FIND);
            AttributeList identifier = Identifiers.build(level, matchingKeys, returnKeys);
            ResponseReader response = new ResponseReader(true);
            association.setReceivedDataHandler(response);
            association.send(contextId, new CFindRequestCommandMessage(STUDY_ROOT_FIND).getBytes(), null);
            association.send(contextId, null,
                    Identifiers.encode(identifier, association.getTransferSyntaxForPresentationContextID(contextId)));
            association.waitForPDataPDUsUntilHandlerReportsDone();
            if (response.getStatus() != DimseStatus.SUCCESS)
                throw new DicomAssociationException("C-FIND at " + peer + " ended with status "
                        + DimseStatus.toHex(response.getStatus()) + " " + response.errorComment());
            release(association);
            return response.identifiers().stream().map(Identifiers::toMap).toList();
        } catch (DicomNetworkException | DicomException | AReleaseException e) {
            throw failed("C-FIND", peer, e);
        } finally {
            closeSocket(association);
        }
    }

    /**
     * Study-root C-MOVE of what {@code keys} select (e.g. StudyInstanceUID and SeriesInstanceUID at SERIES level) to
     * {@code destinationAeTitle}, which the peer must know. Returns the final status and sub-operation counts;
     * throws only if the association fails.
     */
    public MoveResult move(RemoteAe peer, String destinationAeTitle, QueryLevel level, Map<String, String> keys)
            throws IOException {
        String destination = AeTitles.check(destinationAeTitle, "move destination AE title");
        Association association = open(peer, List.of(context(1, STUDY_ROOT_MOVE, UNCOMPRESSED.subList(0, 2))));
        try {
            byte contextId = association.getSuitablePresentationContextID(STUDY_ROOT_MOVE);
            ResponseReader response = new ResponseReader(true);
            association.setReceivedDataHandler(response);
            association.send(contextId, new CMoveRequestCommandMessage(STUDY_ROOT_MOVE, destination).getBytes(), null);
            association.send(contextId, null, Identifiers.encode(Identifiers.build(level, keys, List.of()),
                    association.getTransferSyntaxForPresentationContextID(contextId)));
            association.waitForPDataPDUsUntilHandlerReportsDone();
            MoveResult result = new MoveResult(response.getStatus(),
                    response.count(TagFromName.NumberOfCompletedSuboperations),
                    response.count(TagFromName.NumberOfFailedSuboperations),
                    response.count(TagFromName.NumberOfWarningSuboperations),
                    response.count(TagFromName.NumberOfRemainingSuboperations), response.errorComment());
            release(association);
            return result;
        } catch (DicomNetworkException | DicomException | AReleaseException e) {
            throw failed("C-MOVE", peer, e);
        } finally {
            closeSocket(association);
        }
    }

    private Association open(RemoteAe peer, List<PresentationContext> contexts) throws DicomAssociationException {
        Association association;
        try {
            association = AssociationFactory.createNewAssociation(peer.host(), peer.port(), peer.aeTitle(),
                    options.callingAeTitle(), options.maxPduLength(), 0, 0, new LinkedList<>(contexts), null, false,
                    null, null);
        } catch (DicomNetworkException | IOException e) {
            throw new DicomAssociationException("cannot associate as " + options.callingAeTitle() + " with " + peer
                    + ": " + message(e), e);
        }
        Socket socket = PixelMedTuning.socketOf(association);
        if (socket != null) {
            try {
                socket.setTcpNoDelay(options.tcpNoDelay());
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, options.readTimeout().toMillis()));
            } catch (IOException e) {
                closeSocket(association);
                throw new DicomAssociationException("connection to " + peer + " failed: " + e.getMessage(), e);
            }
        }
        return association;
    }

    /** One presentation context per SOP class for the uncompressed files, one per compressed transfer syntax. */
    private static List<PresentationContext> proposals(List<FileToSend> files) {
        Map<String, Set<String>> syntaxesByClass = new LinkedHashMap<>();
        for (FileToSend f : files)
            syntaxesByClass.computeIfAbsent(f.sopClassUid(), k -> new LinkedHashSet<>()).add(f.transferSyntaxUid());
        List<PresentationContext> contexts = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : syntaxesByClass.entrySet()) {
            if (e.getValue().stream().anyMatch(UNCOMPRESSED::contains))
                contexts.add(context(2 * contexts.size() + 1, e.getKey(), UNCOMPRESSED.subList(0, 2)));
            for (String ts : e.getValue()) {
                if (!UNCOMPRESSED.subList(0, 2).contains(ts))
                    contexts.add(context(2 * contexts.size() + 1, e.getKey(), List.of(ts)));
            }
        }
        if (contexts.size() > MAX_PRESENTATION_CONTEXTS)
            throw new IllegalArgumentException("files need " + contexts.size() + " SOP class/transfer syntax "
                    + "combinations, more than the " + MAX_PRESENTATION_CONTEXTS + " one association can propose");
        return contexts;
    }

    private static PresentationContext context(int id, String sopClassUid, List<String> transferSyntaxes) {
        return new PresentationContext((byte) id, sopClassUid, new LinkedList<>(transferSyntaxes));
    }

    private static void release(Association association) throws DicomNetworkException {
        association.release();
    }

    private static void abort(Association association) {
        Socket socket = PixelMedTuning.socketOf(association);
        if (socket != null && socket.isClosed()) return; // the peer aborted and PixelMed closed it already
        try {
            association.abort();
        } catch (DicomNetworkException | RuntimeException ignored) {
            // the socket is closed in any case
        }
    }

    private static void closeSocket(Association association) {
        Socket socket = PixelMedTuning.socketOf(association);
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static DicomAssociationException failed(String what, RemoteAe peer, Exception e) {
        return new DicomAssociationException(what + " with " + peer + " failed: " + message(e), e);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** A file's identity from its File Meta Information, read once to plan the association. */
    private record FileToSend(int index, Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {

        static FileToSend read(int index, Path file) throws IOException, DicomException {
            try (DicomInputStream in = open(file)) {
                AttributeList meta = new AttributeList();
                meta.readOnlyMetaInformationHeader(in);
                String sopClass = Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.MediaStorageSOPClassUID);
                String sopInstance = Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.MediaStorageSOPInstanceUID);
                String ts = Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.TransferSyntaxUID);
                if (sopClass.isEmpty() || sopInstance.isEmpty() || ts.isEmpty())
                    throw new DicomException("no SOP class, SOP instance or transfer syntax UID in its meta information");
                if (SOPClass.isDirectory(sopClass)) throw new DicomException("a DICOMDIR cannot be sent by C-STORE");
                return new FileToSend(index, file, sopClass, sopInstance, ts);
            }
        }

        /** The file positioned at the start of its data set. */
        DicomInputStream openDataSet() throws IOException, DicomException {
            DicomInputStream in = open(file);
            try {
                new AttributeList().readOnlyMetaInformationHeader(in);
                return in;
            } catch (IOException | DicomException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        private static DicomInputStream open(Path file) throws IOException {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            try {
                DicomInputStream in = new DicomInputStream(raw);
                if (!in.haveMetaHeader()) throw new IOException("not a Part 10 file (no DICM meta information)");
                return in;
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }
    }
}
