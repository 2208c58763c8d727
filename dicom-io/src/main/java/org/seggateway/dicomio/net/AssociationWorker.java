package org.seggateway.dicomio.net;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;
import com.pixelmed.network.DicomNetworkException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import org.seggateway.dicomio.net.AssociationEvent.Type;

/** Serves one connection of a {@link DicomReceiver}: association negotiation, then C-ECHO/C-STORE until it ends. */
final class AssociationWorker {

    private static final System.Logger LOG = System.getLogger(DicomReceiver.class.getName());

    private final ReceiverConfig config;
    private final StorageHandler handler;
    private final AssociationListener listener;
    private final Socket socket;
    private final long id;
    private final InetSocketAddress remote;
    private String callingAeTitle = "";
    private String calledAeTitle = "";
    private int stored;

    /** The storage handler threw something other than {@link StoreRefusedException}. */
    private static final class HandlerFailure extends Exception {
        HandlerFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    AssociationWorker(ReceiverConfig config, StorageHandler handler, AssociationListener listener, Socket socket,
                      long id) {
        this.config = config;
        this.handler = handler;
        this.listener = listener;
        this.socket = socket;
        this.id = id;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    void run() {
        AssociateRequestHeader request;
        try {
            request = AssociateRequestHeader.read(socket.getInputStream());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "connection " + id + " from " + remote + " is not a DICOM association: " + e);
            return;
        }
        if (request == null) return; // connected and closed: a port probe
        callingAeTitle = request.callingAeTitle();
        calledAeTitle = request.calledAeTitle();
        if (!calledAeTitle.equals(config.aeTitle())) {
            reject(AssociateRequestHeader.REASON_CALLED_AE_NOT_RECOGNIZED,
                    "called AE title '" + calledAeTitle + "' is not ours ('" + config.aeTitle() + "')");
            return;
        }
        if (!config.allowsCaller(callingAeTitle)) {
            reject(AssociateRequestHeader.REASON_CALLING_AE_NOT_RECOGNIZED,
                    "calling AE title '" + callingAeTitle + "' is not in the allow-list");
            return;
        }
        Association association;
        try {
            association = AssociationFactory.createNewAssociation(new ReplayingSocket(socket, request.pdu()),
                    config.aeTitle(), config.maxPduLength(), 0, 0, new StoragePresentationContextPolicy());
        } catch (DicomNetworkException | IOException e) {
            event(Type.ABORTED, "association negotiation failed: " + e.getMessage());
            return;
        }
        event(Type.ACCEPTED, "");
        serve(association);
    }

    private void serve(Association association) {
        DimseRequestReader reader = null;
        try {
            while (true) {
                reader = new DimseRequestReader(config.incomingDirectory(), callingAeTitle);
                association.setReceivedDataHandler(reader);
                association.waitForPDataPDUsUntilHandlerReportsDone(); // AReleaseException on A-RELEASE-RQ
                if (reader.isEcho()) {
                    association.send(reader.presentationContextId(), new CEchoResponseCommandMessage(
                            reader.echoRequest().getAffectedSOPClassUID(), reader.echoRequest().getMessageID(),
                            DimseStatus.SUCCESS).getBytes(), null);
                } else if (reader.isStore()) {
                    int status = deliver(reader);
                    CStoreRequestCommandMessage rq = reader.storeRequest();
                    association.send(reader.presentationContextId(), new CStoreResponseCommandMessage(
                            rq.getAffectedSOPClassUID(), rq.getAffectedSOPInstanceUID(), rq.getMessageID(), status)
                            .getBytes(), null);
                }
                reader = null;
            }
        } catch (AReleaseException e) {
            event(Type.RELEASED, "");
        } catch (HandlerFailure e) {
            LOG.log(System.Logger.Level.WARNING, "association " + id + " from " + callingAeTitle + " aborted: "
                    + e.getMessage(), e.getCause());
            abort(association);
            event(Type.ABORTED, e.getMessage());
        } catch (DicomNetworkException | DicomException | IOException e) {
            abort(association);
            event(Type.ABORTED, e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            if (reader != null) reader.discardPartialFile();
        }
    }

    /** Runs the handler on a complete instance; returns the C-STORE status or throws to abort. */
    private int deliver(DimseRequestReader reader) throws HandlerFailure {
        CStoreRequestCommandMessage rq = reader.storeRequest();
        ReceivedInstance instance = new ReceivedInstance(reader.file(), rq.getAffectedSOPClassUID(),
                rq.getAffectedSOPInstanceUID(), reader.transferSyntaxUid(), callingAeTitle, remote, id);
        try {
            handler.store(instance);
            stored++;
            return DimseStatus.SUCCESS;
        } catch (StoreRefusedException e) {
            LOG.log(System.Logger.Level.INFO, "refused instance " + instance.sopInstanceUid() + " from "
                    + callingAeTitle + " with status " + DimseStatus.toHex(e.status()) + ": " + e.getMessage());
            return e.status();
        } catch (Exception e) {
            throw new HandlerFailure("storage handler failed for instance " + instance.sopInstanceUid() + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(reader.file());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete " + reader.file() + ": " + e);
            }
        }
    }

    private void reject(int reason, String detail) {
        try {
            AssociateRequestHeader.writeReject(socket.getOutputStream(), reason);
            socket.shutdownOutput();
            // let the peer read the A-ASSOCIATE-RJ and close first (it sends nothing more)
            socket.setSoTimeout((int) Math.max(1, config.releaseWait().toMillis()));
            socket.getInputStream().readAllBytes();
        } catch (IOException ignored) {
            // peer gone or did not close in time: the socket is closed by the receiver either way
        }
        event(Type.REJECTED, detail);
    }

    private void abort(Association association) {
        if (socket.isClosed()) return; // the peer aborted and PixelMed closed it already
        try {
            association.abort();
        } catch (DicomNetworkException | RuntimeException ignored) {
            // the connection may already be gone; the socket is closed by the receiver
        }
    }

    private void event(Type type, String detail) {
        try {
            listener.onEvent(new AssociationEvent(id, type, callingAeTitle, calledAeTitle, remote, stored, detail));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "association listener failed on " + type + ": " + e, e);
        }
    }
}
