package org.seggateway.dicomio.net;

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
 * C-STORE of many Part 10 files over one association, each with its own DICOM status: the presentation contexts the
 * files need are proposed, each file is sent in its own transfer syntax or, if the peer took none of those, converted
 * to an uncompressed one it accepted.
 */
final class StoreScu {
    private static final System.Logger LOG = System.getLogger(DicomSender.class.getName());
    private static final List<String> UNCOMPRESSED = ScuAssociations.UNCOMPRESSED;
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

    private static void sendAll(Association association, RemoteAe peer, List<FileToSend> toSend, StoreOutcome[] outcomes) {
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

    private static StoreOutcome sendOne(Association association, FileToSend f)
            throws DicomNetworkException, DicomException, AReleaseException, IOException {
        byte contextId;
        String transferSyntax;
        try {
            contextId = association.getSuitablePresentationContextID(f.sopClassUid(), f.transferSyntaxUid());
            transferSyntax = f.transferSyntaxUid();
        } catch (DicomNetworkException exactNotAccepted) {
            if (!UNCOMPRESSED.contains(f.transferSyntaxUid()))
                return new StoreOutcome(f.file(), f.sopInstanceUid(), DimseStatus.NOT_NEGOTIATED, "not sent: peer accepted "
                        + "no presentation context for " + f.sopClassUid() + " in " + f.transferSyntaxUid());
            try {
                contextId = association.getSuitablePresentationContextID(f.sopClassUid());
            } catch (DicomNetworkException none) {
                return new StoreOutcome(f.file(), f.sopInstanceUid(), DimseStatus.NOT_NEGOTIATED,
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

    /** One presentation context per SOP class for the uncompressed files, one per compressed transfer syntax. */
    private static List<PresentationContext> proposals(List<FileToSend> files) {
        Map<String, Set<String>> syntaxesByClass = new LinkedHashMap<>();
        for (FileToSend f : files)
            syntaxesByClass.computeIfAbsent(f.sopClassUid(), k -> new LinkedHashSet<>()).add(f.transferSyntaxUid());
        List<PresentationContext> contexts = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : syntaxesByClass.entrySet()) {
            if (e.getValue().stream().anyMatch(UNCOMPRESSED::contains))
                contexts.add(ScuAssociations.context(2 * contexts.size() + 1, e.getKey(), UNCOMPRESSED.subList(0, 2)));
            for (String ts : e.getValue()) {
                if (!UNCOMPRESSED.subList(0, 2).contains(ts))
                    contexts.add(ScuAssociations.context(2 * contexts.size() + 1, e.getKey(), List.of(ts)));
            }
        }
        if (contexts.size() > MAX_PRESENTATION_CONTEXTS)
            throw new IllegalArgumentException("files need " + contexts.size() + " SOP class/transfer syntax "
                    + "combinations, more than the " + MAX_PRESENTATION_CONTEXTS + " one association can propose");
        return contexts;
    }
}
