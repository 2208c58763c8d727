package org.seggateway.gateway.listener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seggateway.dicomio.net.AcceptedTransferSyntaxes;
import org.seggateway.dicomio.net.AddressRange;
import org.seggateway.dicomio.net.ReceiverLimits;
import org.seggateway.dicomio.net.ReceiverTls;
import org.seggateway.gateway.config.GatewayConfig;

/** The DICOM receiver settings both listeners (live and retrieve) take from {@code seg-gateway.scp.*}. */
public final class ScpSettings {

    private ScpSettings() {}

    /** {@code seg-gateway.scp.limits.*}; the free-disk floor also covers {@code spool}. */
    public static ReceiverLimits limits(GatewayConfig.ScpLimits l, Path spool) {
        try {
            return new ReceiverLimits(l.maxAssociations(), l.maxAssociationsPerAddress(), l.maxAssociateRequestBytes(),
                    l.associateRequestTimeout(), l.maxAssociationDuration(), l.maxCommandBytes(),
                    l.maxInstanceSize().asLongValue(), l.minFreeDisk().asLongValue(), List.of(spool),
                    l.rejectDrainBytes(), l.rejectDrainTime());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("seg-gateway.scp.limits: " + e.getMessage(), e);
        }
    }

    /** {@code seg-gateway.scp.callers."AE"=ADDRESS,...} parsed; a bad entry fails with the key and the value. */
    public static Map<String, List<AddressRange>> callerAddresses(Map<String, String> callers) {
        Map<String, List<AddressRange>> parsed = new LinkedHashMap<>();
        callers.forEach((ae, addresses) -> {
            String key = "seg-gateway.scp.callers.\"" + ae + "\"";
            List<AddressRange> ranges = new ArrayList<>();
            for (String part : addresses.split(",")) {
                if (part.isBlank()) continue;
                try {
                    ranges.add(AddressRange.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(key + ": " + e.getMessage(), e);
                }
            }
            if (ranges.isEmpty()) throw new IllegalStateException(key + " names no address");
            parsed.put(ae.strip(), List.copyOf(ranges));
        });
        return parsed;
    }

    /** {@code seg-gateway.scp.tls.*}: null when not enabled; a missing store or password fails with its key. */
    public static ReceiverTls tls(GatewayConfig.ScpTls t) {
        if (!t.enabled()) return null;
        Path keyStore = t.keyStore().orElseThrow(() -> new IllegalStateException(
                "seg-gateway.scp.tls.enabled=true needs seg-gateway.scp.tls.key-store"));
        String password = t.keyStorePassword().orElseThrow(() -> new IllegalStateException(
                "seg-gateway.scp.tls.enabled=true needs seg-gateway.scp.tls.key-store-password"));
        if (t.requireClientCertificate() && t.trustStore().isEmpty())
            throw new IllegalStateException(
                    "seg-gateway.scp.tls.require-client-certificate=true needs seg-gateway.scp.tls.trust-store");
        return new ReceiverTls(keyStore, password, t.trustStore().orElse(null), t.trustStorePassword().orElse(null),
                t.requireClientCertificate());
    }

    /** {@code seg-gateway.scp.transfer-syntaxes} and {@code transfer-syntax-preference}; checked at start. */
    public static AcceptedTransferSyntaxes transferSyntaxes(GatewayConfig.Scp scp) {
        return AcceptedTransferSyntaxes.parse(scp.transferSyntaxes(),
                scp.transferSyntaxPreference() == GatewayConfig.TransferSyntaxPreference.SENDER);
    }
}
