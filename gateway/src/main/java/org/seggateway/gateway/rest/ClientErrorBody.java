package org.seggateway.gateway.rest;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Gives every 4xx the API throws a JSON body that says what was wrong: {@code {"status": 400, "error": "..."}}. */
public class ClientErrorBody {

    @ServerExceptionMapper
    public Response map(ClientErrorException e) {
        int status = e.getResponse().getStatus();
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", String.valueOf(e.getMessage()))).build();
    }
}
