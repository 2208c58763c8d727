package org.seggateway.dicomio.net;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.DicomStreamCopier;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PresentationContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * C-STORE of many Part 10 files over one association, each with its own DICOM status. Uncompressed (and deflated)
 * files are offered in the sender's transfer syntaxes, in its order, and converted to the one the peer accepted;
 * compressed files are offered and sent in their own transfer syntax only.
 */
final class StoreScu {
    private static final System.Logger LOG = System.getLogger(DicomSender.class.getName());
    private static final String DEFLATED = StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
    /** The file transfer syntaxes we can send in any of {@link StoreTransferSyntaxes#WRITABLE}. */
    private static final List<String> CONVERTIBLE = List.of(StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN,
            StoreTransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN, "1.2.840.10008.1.2.2", DEFLATED);
    private static final int MAX_PRESENTATION_CONTEXTS = 128;

    private final SenderOptions options;

    StoreScu(SenderOptions options) {
        this.options = options;
    }

    /** See {@link DicomSender#store}. */
    StoreResult store(RemoteAe peer, List<Path> files) throws IOException {
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
            Association association = ScuAssociations.open(options, peer, proposals(toSend));
            try {
                sendAll(association, peer, toSend, outcomes);
            } finally {
                ScuAssociations.closeSocket(association);
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
                String reason = "association with " + peer + " lost: " + ScuAssociations.message(e);
                LOG.log(System.Logger.Level.WARNING, "C-STORE of " + f.file() + " failed, " + reason);
                for (FileToSend rest : toSend.subList(n, toSend.size()))
                    outcomes[rest.index()] = new StoreOutcome(rest.file(), rest.sopInstanceUid(), DimseStatus.NO_RESPONSE, reason);
                ScuAssociations.abort(association);
                return;
            }
        }
        try {
            ScuAssociations.release(association);
        } catch (DicomNetworkException e) { // all responses are in; a failed release loses nothing
            LOG.log(System.Logger.Level.DEBUG, "release of association with " + peer + " failed: " + e.getMessage());
        }
    }

    private StoreOutcome sendOne(Association association, FileToSend f)
            throws DicomNetworkException, DicomException, AReleaseException, IOException {
        Byte contextId = null;
        String transferSyntax = null;
        List<String> candidates = CONVERTIBLE.contains(f.transferSyntaxUid()) ? options.transferSyntaxes()
                : List.of(f.transferSyntaxUid());
        for (String ts : candidates) {
            try {
                contextId = association.getSuitablePresentationContextID(f.sopClassUid(), ts);
                transferSyntax = ts;
                break;
            } catch (DicomNetworkException notAccepted) {
                // the next one
            }
        }
        if (contextId == null)
            return new StoreOutcome(f.file(), f.sopInstanceUid(), DimseStatus.NOT_NEGOTIATED, "not sent: peer accepted "
                    + "no presentation context for " + f.sopClassUid() + " in " + String.join(", ", candidates));
        ResponseReader response = new ResponseReader(false);
        association.setReceivedDataHandler(response);
        association.send(contextId, new CStoreRequestCommandMessage(f.sopClassUid(), f.sopInstanceUid()).getBytes(), null);
        OutputStream out = association.getAssociationOutputStream(contextId);
        if (transferSyntax.equals(f.transferSyntaxUid())) {
            try (DicomInputStream in = f.openDataSet()) {
                in.transferTo(out);
            }
            out.close(); // sends the last fragment
        } else if (transferSyntax.equals(DEFLATED) || f.transferSyntaxUid().equals(DEFLATED)) {
            // PixelMed deflates (or inflates) only when it writes a whole attribute list, not in its stream copier; the
            // list is in memory while it is sent, which suits a SEG or SR (kB to a few MB), not a whole CT series
            AttributeList list = new AttributeList();
            list.read(f.file().toString());
            list.removeMetaInformationHeaderAttributes();
            list.write(new DicomOutputStream(out, null, transferSyntax));
            out.close();
        } else {
            try (DicomInputStream in = f.openDataSet()) {
                new DicomStreamCopier(in, new DicomOutputStream(out, null, transferSyntax)); // closes out itself
            }
        }
        association.waitForPDataPDUsUntilHandlerReportsDone();
        return new StoreOutcome(f.file(), f.sopInstanceUid(), response.getStatus(), response.errorComment());
    }

    /**
     * One presentation context per SOP class for the files we can convert (uncompressed or deflated), in the transfer
     * syntaxes of {@link SenderOptions#transferSyntaxes()} in their order; one per compressed transfer syntax.
     */
    private List<PresentationContext> proposals(List<FileToSend> files) {
        Map<String, Set<String>> syntaxesByClass = new LinkedHashMap<>();
        for (FileToSend f : files)
            syntaxesByClass.computeIfAbsent(f.sopClassUid(), k -> new LinkedHashSet<>()).add(f.transferSyntaxUid());
        List<PresentationContext> contexts = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : syntaxesByClass.entrySet()) {
            if (e.getValue().stream().anyMatch(CONVERTIBLE::contains))
                contexts.add(ScuAssociations.context(2 * contexts.size() + 1, e.getKey(), options.transferSyntaxes()));
            for (String ts : e.getValue()) {
                if (!CONVERTIBLE.contains(ts))
                    contexts.add(ScuAssociations.context(2 * contexts.size() + 1, e.getKey(), List.of(ts)));
            }
        }
        if (contexts.size() > MAX_PRESENTATION_CONTEXTS)
            throw new IllegalArgumentException("files need " + contexts.size() + " SOP class/transfer syntax "
                    + "combinations, more than the " + MAX_PRESENTATION_CONTEXTS + " one association can propose");
        return contexts;
    }
}
