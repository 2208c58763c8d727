package org.seggateway.gateway.security;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Describes in the OpenAPI document the authentication mechanisms that are on: HTTP Basic (scheme {@value #BASIC}, which Quarkus puts
 * on each operation with its roles at build time) and, while the OIDC tenant is on, bearer tokens (scheme
 * {@value #BEARER}) as an alternative with the same roles. Quarkus describes one scheme only, and with the OIDC
 * extension present it would describe OIDC even while OIDC is off.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class OpenApiSecuritySchemes implements OASFilter {
    static final String BASIC = "basic";
    static final String BEARER = "bearer";

    private final boolean bearer;
    private final boolean basic;
    private final String issuer;

    public OpenApiSecuritySchemes() {
        Config config = ConfigProvider.getConfig();
        issuer = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class).orElse(null);
        bearer = issuer != null && config.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true);
        // without bearer tokens Basic is the only way in, whatever its setting says
        basic = !bearer || config.getOptionalValue("quarkus.http.auth.basic", Boolean.class).orElse(false);
    }

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getSecurity() == null) return operation;
        List<SecurityRequirement> requirements = new ArrayList<>();
        for (SecurityRequirement requirement : operation.getSecurity()) {
            List<String> roles = requirement.getScheme(BASIC);
            if (roles == null) {
                requirements.add(requirement);
                continue;
            }
            if (basic) requirements.add(requirement);
            if (bearer) requirements.add(OASFactory.createSecurityRequirement().addScheme(BEARER, roles));
        }
        operation.setSecurity(requirements);
        return operation;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) return;
        if (!basic) components.removeSecurityScheme(BASIC);
        if (bearer) {
            components.addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").bearerFormat("JWT").description("OIDC access token issued by " + issuer));
        }
    }
}
