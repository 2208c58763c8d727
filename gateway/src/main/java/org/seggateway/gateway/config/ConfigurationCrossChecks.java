package org.seggateway.gateway.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.seggateway.dicomio.net.AcceptedTransferSyntaxes;
import org.seggateway.dicomio.net.AddressRange;
import org.seggateway.dicomio.net.StoreTransferSyntaxes;
import org.seggateway.gateway.notify.NotificationEvent;

/**
 * The checks of {@link GatewayConfig} that a constraint on one value cannot express: names that must refer to other
 * entries (destinations, model package folders), settings that need one another (TLS), values parsed by another type
 * (address ranges, regular expressions), and the values of {@link GatewayConfig.Route}, which takes no constraints. Run with the constraints when the configuration is loaded, so
 * that one failed start names every problem.
 */
public final class ConfigurationCrossChecks {
    private ConfigurationCrossChecks() {}

    /** Every problem found, in key order of the sections; empty when the configuration holds together. */
    public static List<ConfigProblem> problems(GatewayConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        Set<String> destinations = new TreeSet<>(config.destinations().keySet());
        Path modelRoot = config.modelRoot().orElse(Path.of("")).toAbsolutePath().normalize();
        config.routes().forEach((name, route) -> route(key("routes", name), route, destinations, modelRoot, problems));
        config.reprocess().retrieveFrom().filter(d -> !destinations.contains(d)).ifPresent(d -> problems.add(new ConfigProblem(
                "seg-gateway.reprocess.retrieve-from", unknownDestination(d, destinations))));
        config.destinations().forEach((name, destination) -> {
            if (destination.kind() == GatewayConfig.DestinationKind.DIMSE) dimse(key("destinations", name), destination, problems);
        });
        config.webhooks().forEach((name, webhook) -> webhook(key("webhooks", name), webhook, problems));
        config.destinations().forEach((name, destination) -> DestinationChecks.check(key("destinations", name), destination, problems));
        config.reprocess().retrieveFrom().map(config.destinations()::get)
                .filter(d -> d.kind() != GatewayConfig.DestinationKind.DIMSE)
                .ifPresent(d -> problems.add(new ConfigProblem("seg-gateway.reprocess.retrieve-from",
                        "names a stow-rs destination; series are retrieved by C-MOVE, from a dimse destination only")));
        StowSenderChecks.check(config.stowRs(), problems);
        scp(config.scp(), problems);
        syslog(config.audit().syslog(), problems);
        return List.copyOf(problems);
    }

    private static void route(String key, GatewayConfig.Route route, Set<String> destinations, Path modelRoot,
                              List<ConfigProblem> problems) {
        if (!route.quietTime().isPositive()) problems.add(new ConfigProblem(key + ".quiet-time", "must be above zero"));
        if (route.models().stream().anyMatch(String::isBlank)) problems.add(new ConfigProblem(key + ".models", "holds an empty name"));
        if (route.destinations().stream().anyMatch(String::isBlank))
            problems.add(new ConfigProblem(key + ".destinations", "holds an empty name"));
        route.match().minSlices().filter(n -> n < 1).ifPresent(n -> problems.add(new ConfigProblem(key + ".match.min-slices",
                "must be at least 1")));
        List<String> callers = route.match().callingAeTitles().orElse(List.of());
        for (int i = 0; i < callers.size(); i++)
            if (!AeTitle.Check.isAeTitle(callers.get(i)))
                problems.add(new ConfigProblem(key + ".match.calling-ae-titles[" + i + "]", AeTitle.MESSAGE));
        for (String destination : route.destinations())
            if (!destinations.contains(destination))
                problems.add(new ConfigProblem(key + ".destinations", unknownDestination(destination, destinations)));
        for (String model : route.models()) {
            Path folder = modelRoot.resolve(model).normalize();
            if (!folder.startsWith(modelRoot))
                problems.add(new ConfigProblem(key + ".models", "names model package '" + model + "', which lies outside the model root "
                        + modelRoot + " (seg-gateway.model-root)"));
            else if (!model.isBlank() && !Files.isDirectory(folder))
                problems.add(new ConfigProblem(key + ".models", "names model package '" + model + "', but there is no folder " + folder
                        + " (seg-gateway.model-root is " + modelRoot + ")"));
        }
        route.match().seriesDescription().ifPresent(regex -> {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                problems.add(new ConfigProblem(key + ".match.series-description", "is not a regular expression: "
                        + e.getDescription() + " near index " + e.getIndex()));
            }
        });
    }

    /** A DICOM (DIMSE) destination: a transfer syntax the gateway can write; a TLS setting that can work. */
    private static void dimse(String key, GatewayConfig.Destination destination, List<ConfigProblem> problems) {
        if (StoreTransferSyntaxes.writable(destination.transferSyntaxes()).isEmpty())
            problems.add(new ConfigProblem(key + ".transfer-syntaxes", "lists none of the transfer syntaxes the gateway "
                    + "can write the SEG in: " + StoreTransferSyntaxes.WRITABLE.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").sorted().toList()));
        GatewayConfig.DestinationTls tls = destination.tls();
        if (!tls.enabled()) return;
        if (tls.keyStore().isPresent() && tls.keyStorePassword().isEmpty())
            problems.add(new ConfigProblem(key + ".tls.key-store-password", "is needed with " + key + ".tls.key-store"));
        tls.keyStore().filter(f -> !Files.isReadable(f)).ifPresent(f -> problems.add(new ConfigProblem(key + ".tls.key-store",
                "names " + f + ", which cannot be read")));
        tls.trustStore().filter(f -> !Files.isReadable(f)).ifPresent(f -> problems.add(new ConfigProblem(key + ".tls.trust-store",
                "names " + f + ", which cannot be read")));
    }

    private static void webhook(String key, GatewayConfig.Webhook webhook, List<ConfigProblem> problems) {
        URI url = webhook.url();
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null)
            problems.add(new ConfigProblem(key + ".url", "must be an http or https URL with a host"));
        for (String event : webhook.events()) {
            try {
                NotificationEvent.ofConfigName(event);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(key + ".events", e.getMessage()));
            }
        }
    }

    private static void scp(GatewayConfig.Scp scp, List<ConfigProblem> problems) {
        try {
            AcceptedTransferSyntaxes.parse(scp.transferSyntaxes(), true);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem("seg-gateway.scp.transfer-syntaxes", e.getMessage()));
        }
        scp.callers().forEach((ae, addresses) -> {
            String key = "seg-gateway.scp.callers.\"" + ae + "\"";
            List<String> parts = List.of(addresses.split(",")).stream().filter(p -> !p.isBlank()).toList();
            if (parts.isEmpty()) problems.add(new ConfigProblem(key, "names no address"));
            for (String part : parts) {
                try {
                    AddressRange.parse(part);
                } catch (IllegalArgumentException e) {
                    problems.add(new ConfigProblem(key, e.getMessage()));
                }
            }
        });
        GatewayConfig.ScpTls tls = scp.tls();
        if (!tls.enabled()) return;
        if (tls.keyStore().isEmpty()) problems.add(new ConfigProblem("seg-gateway.scp.tls.key-store", "is needed with seg-gateway.scp.tls.enabled=true"));
        if (tls.keyStorePassword().isEmpty())
            problems.add(new ConfigProblem("seg-gateway.scp.tls.key-store-password", "is needed with seg-gateway.scp.tls.enabled=true"));
        if (tls.requireClientCertificate() && tls.trustStore().isEmpty())
            problems.add(new ConfigProblem("seg-gateway.scp.tls.trust-store", "is needed with seg-gateway.scp.tls.require-client-certificate=true"));
    }

    private static void syslog(GatewayConfig.Syslog syslog, List<ConfigProblem> problems) {
        if (syslog.enabled() && syslog.protocol() == GatewayConfig.SyslogProtocol.TLS && syslog.trustStore().isEmpty())
            problems.add(new ConfigProblem("seg-gateway.audit.syslog.trust-store", "is needed with seg-gateway.audit.syslog.protocol=tls"));
    }

    private static String unknownDestination(String name, Set<String> destinations) {
        return "names destination '" + name + "', which is not configured (seg-gateway.destinations: " + destinations + ")";
    }

    /** The key of a named entry, quoted as SmallRye Config reads it when the name holds a dot. */
    private static String key(String section, String name) {
        return "seg-gateway." + section + "." + (name.contains(".") ? "\"" + name + "\"" : name);
    }
}
