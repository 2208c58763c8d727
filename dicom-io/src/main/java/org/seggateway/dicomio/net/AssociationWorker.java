package org.seggateway.dicomio.net;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.DicomNetworkException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.seggateway.dicomio.net.AssociationEvent.Type;

/**
 * Serves one connection of a {@link DicomReceiver}: association negotiation, then C-ECHO/C-STORE until it ends. The
 * A-ASSOCIATE-RQ must arrive whole within its timeout and the association end within its time limit: when a deadline
 * passes, the socket is closed under whatever is reading it.
 */
final class AssociationWorker {

    private static final ReceiverLog LOG = ReceiverLog.LOG;

    private final ReceiverConfig config;
    private final StorageHandler handler;
    private final AssociationListener listener;
    private final Socket socket;
    private final long id;
    private final InetSocketAddress remote;
    private final ScheduledExecutorService timers;
    private final DiskFloor diskFloor;
    private volatile String deadlinePassed;
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
                      long id, ScheduledExecutorService timers, DiskFloor diskFloor) {
        this.config = config;
        this.timers = timers;
        this.diskFloor = diskFloor;
        this.handler = handler;
        this.listener = listener;
        this.socket = socket;
        this.id = id;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    void run() {
        ReceiverLimits limits = config.limits();
        ScheduledFuture<?> associationDeadline = closeAfter(limits.maxAssociationDuration(),
                "association exceeded the time limit of " + limits.maxAssociationDuration());
        try {
            negotiateAndServe(limits);
        } finally {
            associationDeadline.cancel(false);
        }
    }

    private void negotiateAndServe(ReceiverLimits limits) {
        AssociateRequestHeader request;
        ScheduledFuture<?> requestDeadline = closeAfter(limits.associateRequestTimeout(),
                "A-ASSOCIATE-RQ not complete within " + limits.associateRequestTimeout());
        try {
            request = AssociateRequestHeader.read(socket.getInputStream(), limits.maxAssociateRequestBytes());
        } catch (AssociateRequestHeader.TooLargeException e) {
            reject(AssociateRequestHeader.RESULT_PERMANENT, AssociateRequestHeader.SOURCE_SERVICE_USER,
                    AssociateRequestHeader.REASON_NO_REASON_GIVEN, e.getMessage());
            return;
        } catch (IOException e) {
            if (deadlinePassed != null) {
                event(Type.ABORTED, deadlinePassed);
            } else {
                LOG.notDicom(id, remote, e);
            }
            return;
        } finally {
            requestDeadline.cancel(false);
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
        if (!config.allowsCallerAddress(callingAeTitle, remote.getAddress())) {
            reject(AssociateRequestHeader.REASON_CALLING_AE_NOT_RECOGNIZED, "calling AE title '" + callingAeTitle
                    + "' is not allowed from " + remote.getAddress().getHostAddress());
            return;
        }
        Association association;
        try {
            association = AssociationFactory.createNewAssociation(new ReplayingSocket(socket, request.pdu(),
                            Math.max(config.maxPduLength(), limits.maxAssociateRequestBytes())),
                    config.aeTitle(), config.maxPduLength(), 0, 0, new StoragePresentationContextPolicy(config.transferSyntaxes()));
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
                reader = new DimseRequestReader(config.incomingDirectory(), callingAeTitle,
                        config.limits().maxCommandBytes(), config.limits().maxDataSetBytes(), diskFloor);
                association.setReceivedDataHandler(reader);
                association.waitForPDataPDUsUntilHandlerReportsDone(); // AReleaseException on A-RELEASE-RQ
                if (reader.isEcho()) {
                    association.send(reader.presentationContextId(), new CEchoResponseCommandMessage(
                            reader.echoRequest().getAffectedSOPClassUID(), reader.echoRequest().getMessageID(),
                            DimseStatus.SUCCESS).getBytes(), null);
                } else if (reader.isStore()) {
                    Outcome outcome = reader.refusal() != null ? refused(reader) : deliver(reader);
                    CStoreRequestCommandMessage rq = reader.storeRequest();
                    association.send(reader.presentationContextId(), StoreResponse.bytes(rq.getAffectedSOPClassUID(),
                            rq.getAffectedSOPInstanceUID(), rq.getMessageID(), outcome.status(), outcome.comment(),
                            outcome.offendingElements()), null);
                }
                reader = null;
            }
        } catch (AReleaseException e) {
            event(Type.RELEASED, "");
        } catch (HandlerFailure e) {
            LOG.handlerFailed(id, callingAeTitle, e.getMessage(), e.getCause());
            abort(association);
            event(Type.ABORTED, e.getMessage());
        } catch (DicomNetworkException | DicomException | IOException e) {
            abort(association);
            String passed = deadlinePassed;
            event(Type.ABORTED, passed != null ? passed : e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            if (reader != null) reader.discardPartialFile();
        }
    }

    /** A C-STORE response's status, Error Comment (null for none) and Offending Element tags. */
    private record Outcome(int status, String comment, List<AttributeTag> offendingElements) {
        Outcome(int status, String comment) {
            this(status, comment, List.of());
        }
    }

    /** A C-STORE the reader refused on a limit (nothing on disk): 0xA700 with the reason. */
    private Outcome refused(DimseRequestReader reader) {
        LOG.refusedOnLimit(id, reader.storeRequest().getAffectedSOPInstanceUID(), callingAeTitle, reader.refusal());
        return new Outcome(DimseStatus.OUT_OF_RESOURCES, reader.refusal());
    }

    /** Runs the handler on a complete instance; returns the C-STORE status or throws to abort. */
    private Outcome deliver(DimseRequestReader reader) throws HandlerFailure {
        CStoreRequestCommandMessage rq = reader.storeRequest();
        ReceivedInstance instance = new ReceivedInstance(reader.file(), rq.getAffectedSOPClassUID(),
                rq.getAffectedSOPInstanceUID(), reader.transferSyntaxUid(), callingAeTitle, remote, id, reader.dataSetSha256());
        try {
            handler.store(instance);
            stored++;
            return new Outcome(DimseStatus.SUCCESS, null);
        } catch (StoreRefusedException e) {
            LOG.refusedByHandler(id, instance.sopInstanceUid(), callingAeTitle, DimseStatus.toHex(e.status()), e.getMessage());
            return new Outcome(e.status(), e.errorComment(), e.offendingTags());
        } catch (Exception e) {
            throw new HandlerFailure("storage handler failed for instance " + instance.sopInstanceUid() + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(reader.file());
            } catch (IOException e) {
                LOG.cannotDelete(reader.file(), e);
            }
        }
    }

    /** A-ASSOCIATE-RJ rejected-permanent by the service user for {@code reason}. */
    private void reject(int reason, String detail) {
        reject(AssociateRequestHeader.RESULT_PERMANENT, AssociateRequestHeader.SOURCE_SERVICE_USER, reason, detail);
    }

    private void reject(int result, int source, int reason, String detail) {
        try {
            AssociateRequestHeader.writeReject(socket.getOutputStream(), result, source, reason);
        } catch (IOException ignored) {
            // peer gone: closed below either way
        }
        BoundedDrain.drainAndClose(socket, config.limits().rejectDrainBytes(), config.limits().rejectDrainTime());
        event(Type.REJECTED, detail);
    }

    /** Closes the socket after {@code delay} unless cancelled; {@code why} becomes the abort reason. */
    private ScheduledFuture<?> closeAfter(Duration delay, String why) {
        return timers.schedule(() -> {
            deadlinePassed = why;
            LOG.deadlinePassed(id, remote, why);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed anyway
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void abort(Association association) {
        if (socket.isClosed()) return; // the peer aborted and PixelMed closed it already
        try {
            association.abort();
        } catch (DicomNetworkException | RuntimeException ignored) {
            // the connection may already be gone; the socket is closed by the receiver
        }
    }

    private String host() {
        if (remote == null) return null;
        return remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    }

    private void event(Type type, String detail) {
        switch (type) {
            case ACCEPTED -> LOG.accepted(id, callingAeTitle, host(), calledAeTitle);
            case REJECTED -> LOG.rejected(id, callingAeTitle, host(), detail);
            case RELEASED -> LOG.released(id, callingAeTitle, stored);
            case ABORTED -> LOG.aborted(id, callingAeTitle, stored, detail);
        }
        try {
            listener.onEvent(new AssociationEvent(id, type, callingAeTitle, calledAeTitle, remote, stored, detail));
        } catch (RuntimeException e) {
            LOG.listenerFailed(type, e, e);
        }
    }
}
