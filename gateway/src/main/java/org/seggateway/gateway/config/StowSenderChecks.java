package org.seggateway.gateway.config;

import java.util.List;

/** {@code seg-gateway.stow-rs.senders."USER"=AE}: every user named, every value an AE title. */
final class StowSenderChecks {
    private StowSenderChecks() {}

    static void check(GatewayConfig.StowRs stow, List<ConfigProblem> problems) {
        stow.senders().forEach((user, ae) -> {
            String key = "seg-gateway.stow-rs.senders.\"" + user + "\"";
            if (user.isBlank()) problems.add(new ConfigProblem(key, "names no user"));
            if (!AeTitle.Check.isAeTitle(ae.strip()))
                problems.add(new ConfigProblem(key, "is the AE title the user's instances are recorded under: " + AeTitle.MESSAGE));
        });
    }
}
