package org.seggateway.gateway.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** As {@link OidcTestProfile}, with an issuer that advertises no end-session endpoint. */
public class OidcWithoutEndSessionTestProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OidcTestIssuer.class, Map.of(OidcTestIssuer.END_SESSION_ARG, "false")));
    }
}
