package org.seggateway.gateway.dicomweb;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * STOW-RS (PS3.18 10.5): {@code POST /dicomweb/studies} and {@code /dicomweb/studies/{study}} with a
 * {@code multipart/related; type="application/dicom"} body, streamed part by part into the same ingest as C-STORE
 * ({@link StowIngest}). Open to the users listed in {@code seg-gateway.stow-rs.senders} only, as the DICOM listener
 * is to its allowed calling AE titles.
 */
@Path("/dicomweb/studies")
@Authenticated
@Tag(name = "dicomweb", description = "DICOMweb STOW-RS: store instances (users listed in seg-gateway.stow-rs.senders)")
public class StowResource {
    static final String DICOM_JSON = "application/dicom+json";

    private final StowIngest ingest;
    private final SecurityIdentity identity;
    private final GatewayConfig config;

    StowResource(StowIngest ingest, SecurityIdentity identity, GatewayConfig config) {
        this.ingest = ingest;
        this.identity = identity;
        this.config = config;
    }

    @POST
    @Operation(summary = "Store instances (STOW-RS)", description = "multipart/related; type=\"application/dicom\": one Part 10 "
            + "instance per part. Each is made durable (spool, fsync, database) as a C-STORE would be, then routed like one.")
    @APIResponse(responseCode = "200", description = "every instance stored: Referenced SOP Sequence (0008,1199)")
    @APIResponse(responseCode = "202", description = "some stored; Failed SOP Sequence (0008,1198) with a Failure Reason per refused one")
    @APIResponse(responseCode = "409", description = "none stored; Failed SOP Sequence")
    @APIResponse(responseCode = "400", description = "no boundary, no multipart delimiter, no part")
    @APIResponse(responseCode = "403", description = "the user is not in seg-gateway.stow-rs.senders")
    @APIResponse(responseCode = "415", description = "not multipart/related of application/dicom")
    public Response store(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @Context HttpServerRequest http) throws IOException {
        return handle(body, contentType, null, http);
    }

    @POST
    @Path("{study}")
    @Operation(summary = "Store instances of one study (STOW-RS)", description = "As POST /dicomweb/studies; an instance of "
            + "another study is refused (Failure Reason 0xA900).")
    public Response storeInStudy(@PathParam("study") String study, InputStream body,
                                 @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                 @Context HttpServerRequest http) throws IOException {
        return handle(body, contentType, study, http);
    }

    private Response handle(InputStream body, String contentType, String study, HttpServerRequest http) throws IOException {
        if (!config.stowRs().enabled()) throw new NotFoundException("STOW-RS is off (seg-gateway.stow-rs.enabled=false)");
        String user = identity.getPrincipal().getName();
        String callingAe = senderAeTitle(config.stowRs().senders(), user);
        if (callingAe == null) {
            DicomWebLog.LOG.requestRefused(user, 403, "not in seg-gateway.stow-rs.senders");
            return error(403, "user '" + user + "' may not store: not in seg-gateway.stow-rs.senders");
        }
        try {
            StowResponse response = ingest.ingest(body, contentType, study, new StowIngest.Sender(user, callingAe, address(http)));
            return Response.status(response.httpStatus()).type(DICOM_JSON).entity(response.body()).build();
        } catch (StowRequestRefused e) {
            DicomWebLog.LOG.requestRefused(user, e.httpStatus(), e.getMessage());
            return error(e.httpStatus(), e.getMessage());
        }
    }

    /** The AE title the user stores as, or null when the user may not store. */
    static String senderAeTitle(Map<String, String> senders, String user) {
        String ae = senders.get(user);
        return ae == null ? null : ae.strip();
    }

    private static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("status", status, "error", message)).build();
    }

    private static InetSocketAddress address(HttpServerRequest http) {
        if (http == null || http.remoteAddress() == null) return null;
        try {
            // an IP literal: no name lookup
            return new InetSocketAddress(InetAddress.getByName(http.remoteAddress().hostAddress()), http.remoteAddress().port());
        } catch (IOException e) {
            return null;
        }
    }
}
