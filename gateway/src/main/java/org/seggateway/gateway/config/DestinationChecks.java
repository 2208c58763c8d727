package org.seggateway.gateway.config;

import java.net.URI;
import java.util.List;

/** What each kind of destination needs: dimse host, port and AE title; stow-rs an http(s) URL and its credentials. */
final class DestinationChecks {
    private DestinationChecks() {}

    static void check(String key, GatewayConfig.Destination d, List<ConfigProblem> problems) {
        switch (d.kind()) {
            case DIMSE -> {
                if (d.host().filter(h -> !h.isBlank()).isEmpty())
                    problems.add(new ConfigProblem(key + ".host", "is needed for a dimse destination"));
                if (d.port().isEmpty()) problems.add(new ConfigProblem(key + ".port", "is needed for a dimse destination"));
                d.port().filter(p -> p < 1 || p > 65535).ifPresent(p -> problems.add(new ConfigProblem(key + ".port",
                        "must be between 1 and 65535")));
                if (d.aeTitle().isEmpty()) problems.add(new ConfigProblem(key + ".ae-title", "is needed for a dimse destination"));
                if (d.url().isPresent())
                    problems.add(new ConfigProblem(key + ".url", "is read only with kind=stow-rs (this destination is dimse)"));
            }
            case STOW_RS -> {
                URI url = d.url().orElse(null);
                if (url == null) problems.add(new ConfigProblem(key + ".url", "is needed for a stow-rs destination"));
                else if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null)
                    problems.add(new ConfigProblem(key + ".url", "must be an http or https URL with a host"));
                if (d.host().isPresent() || d.port().isPresent() || d.aeTitle().isPresent())
                    problems.add(new ConfigProblem(key, "host, port and ae-title are read only with kind=dimse (this destination is stow-rs)"));
                auth(key + ".auth", d.auth(), problems);
            }
        }
    }

    private static void auth(String key, GatewayConfig.DestinationAuth auth, List<ConfigProblem> problems) {
        switch (auth.type()) {
            case NONE -> {}
            case BASIC -> {
                if (auth.user().filter(u -> !u.isBlank()).isEmpty())
                    problems.add(new ConfigProblem(key + ".user", "is needed with auth.type=basic"));
                else if (auth.user().get().contains(":"))
                    problems.add(new ConfigProblem(key + ".user", "must not hold ':' (HTTP Basic)"));
                if (auth.password().isEmpty()) problems.add(new ConfigProblem(key + ".password", "is needed with auth.type=basic"));
            }
            case BEARER -> {
                if (auth.token().filter(t -> !t.isBlank()).isEmpty())
                    problems.add(new ConfigProblem(key + ".token", "is needed with auth.type=bearer"));
            }
        }
    }
}
