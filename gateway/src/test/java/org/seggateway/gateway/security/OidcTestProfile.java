package org.seggateway.gateway.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The test configuration with the OIDC tenant on, verifying tokens of {@link OidcTestIssuer}; HTTP Basic stays on. */
public class OidcTestProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OidcTestIssuer.class));
    }
}
