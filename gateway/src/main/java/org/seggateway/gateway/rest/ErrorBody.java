package org.seggateway.gateway.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Gives every error the API throws itself a JSON body that says what was wrong: {@code {"status": 400, "error": "..."}}
 * (a bad parameter, an unknown id, a PACS that did not answer).
 */
public class ErrorBody {

    @ServerExceptionMapper
    public Response map(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", String.valueOf(e.getMessage()))).build();
    }
}
