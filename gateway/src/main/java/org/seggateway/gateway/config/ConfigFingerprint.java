package org.seggateway.gateway.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.seggateway.audit.AuditChain;
import org.seggateway.dicomio.net.StoreTransferSyntaxes;

/**
 * The SHA-256 of each route, destination and webhook of the effective configuration, by section and name, and of
 * them all: what {@code config.loaded} records, so that the next start can name what changed. Each entry is hashed
 * as canonical JSON of its settings. Secrets are left out: a webhook's header values and the user info and query of
 * its URL (a token rotated there is not a change); header names count.
 *
 * @param items section ({@code routes}, {@code destinations}, {@code webhooks}) to name to the entry's SHA-256 (hex)
 */
public record ConfigFingerprint(Map<String, Map<String, String>> items) {
    public static final List<String> SECTIONS = List.of("routes", "destinations", "webhooks");

    public ConfigFingerprint {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        for (String section : SECTIONS) copy.put(section, new TreeMap<>(items.getOrDefault(section, Map.of())));
        items = copy;
    }

    public static ConfigFingerprint of(GatewayConfig config) {
        Map<String, Map<String, String>> items = new TreeMap<>();
        items.put("routes", hashes(config.routes(), ConfigFingerprint::route));
        items.put("destinations", hashes(config.destinations(), ConfigFingerprint::destination));
        items.put("webhooks", hashes(config.webhooks(), ConfigFingerprint::webhook));
        return new ConfigFingerprint(items);
    }

    /** SHA-256 (hex) of all entries' hashes. */
    public String sha256() {
        return sha256(AuditChain.canonicalJson(items));
    }

    /**
     * Per section with a difference: the names {@code added}, {@code removed} and {@code changed} since
     * {@code previous}; empty when nothing differs.
     */
    public Map<String, Map<String, List<String>>> changesSince(ConfigFingerprint previous) {
        Map<String, Map<String, List<String>>> changes = new LinkedHashMap<>();
        for (String section : SECTIONS) {
            Map<String, String> now = items.get(section), before = previous.items().get(section);
            List<String> added = new ArrayList<>(), removed = new ArrayList<>(), changed = new ArrayList<>();
            Set<String> names = new TreeSet<>(now.keySet());
            names.addAll(before.keySet());
            for (String name : names) {
                if (!before.containsKey(name)) added.add(name);
                else if (!now.containsKey(name)) removed.add(name);
                else if (!now.get(name).equals(before.get(name))) changed.add(name);
            }
            if (!added.isEmpty() || !removed.isEmpty() || !changed.isEmpty())
                changes.put(section, Map.of("added", added, "removed", removed, "changed", changed));
        }
        return changes;
    }

    private static <T> Map<String, String> hashes(Map<String, T> entries, java.util.function.Function<T, Map<String, Object>> settings) {
        Map<String, String> out = new TreeMap<>();
        entries.forEach((name, entry) -> out.put(name, sha256(AuditChain.canonicalJson(settings.apply(entry)))));
        return out;
    }

    private static Map<String, Object> route(GatewayConfig.Route r) {
        GatewayConfig.Match m = r.match();
        Map<String, Object> match = new LinkedHashMap<>();
        match.put("callingAeTitles", m.callingAeTitles().orElse(null));
        match.put("modalities", m.modalities().orElse(null));
        match.put("bodyParts", m.bodyParts().orElse(null));
        match.put("seriesDescription", m.seriesDescription().orElse(null));
        match.put("imageType", m.imageType().orElse(null));
        match.put("minSlices", m.minSlices().orElse(null));
        match.put("sopClasses", m.sopClasses().orElse(null));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("priority", r.priority());
        s.put("quietTime", r.quietTime().toString());
        s.put("match", match);
        s.put("models", r.models());
        s.put("destinations", r.destinations());
        return s;
    }

    private static Map<String, Object> destination(GatewayConfig.Destination d) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("host", d.host().orElse(null));
        s.put("port", d.port().orElse(null));
        s.put("aeTitle", d.aeTitle().orElse(null));
        s.put("callingAeTitle", d.callingAeTitle());
        // the DIMSE settings count only when set, so that a configuration from before them keeps its fingerprint
        if (!d.transferSyntaxes().equals(StoreTransferSyntaxes.DEFAULT)) s.put("transferSyntaxes", d.transferSyntaxes());
        GatewayConfig.DestinationTls tls = d.tls();
        if (tls.enabled()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("trustStore", tls.trustStore().map(Object::toString).orElse(null));
            t.put("keyStore", tls.keyStore().map(Object::toString).orElse(null));
            t.put("verifyHostName", tls.verifyHostName());
            s.put("tls", t);
        }
        // stow-rs settings only for such destinations, so that a dimse destination keeps its fingerprint of before
        if (d.kind() != GatewayConfig.DestinationKind.DIMSE) {
            s.put("kind", d.kind().name());
            d.url().ifPresent(u -> s.put("url", u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + Optional.ofNullable(u.getRawPath()).orElse("")));
            s.put("authType", d.auth().type().name());
            s.put("timeout", d.timeout().toString());
        }
        return s;
    }

    private static Map<String, Object> webhook(GatewayConfig.Webhook w) {
        URI u = w.url();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("url", u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + Optional.ofNullable(u.getRawPath()).orElse(""));
        s.put("events", w.events());
        s.put("headerNames", new TreeSet<>(w.headers().keySet()).stream().toList());
        s.put("timeout", w.timeout().toString());
        return s;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
