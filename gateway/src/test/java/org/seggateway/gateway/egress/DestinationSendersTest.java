package org.seggateway.gateway.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.SenderOptions;
import org.seggateway.dicomio.net.StoreTransferSyntaxes;
import org.seggateway.dicomio.testing.TestCertificates;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.config.TestConfigs;

/** What {@link DestinationSenders} makes of a destination's DIMSE settings, and how a broken TLS store stops the start. */
class DestinationSendersTest {
    @TempDir
    Path dir;

    private Map<String, String> pacs() {
        Map<String, String> p = new HashMap<>();
        p.put("seg-gateway.spool", dir.resolve("spool").toString());
        p.put("seg-gateway.destinations.pacs.host", "127.0.0.1");
        p.put("seg-gateway.destinations.pacs.port", "104");
        p.put("seg-gateway.destinations.pacs.ae-title", "PACS");
        return p;
    }

    @Test
    void theWritableSyntaxesAreOfferedInTheDestinationsOrderAndOthersLeftOut() {
        Map<String, String> p = pacs();
        p.put("seg-gateway.destinations.pacs.transfer-syntaxes", "1.2.840.10008.1.2.4.90,1.2.840.10008.1.2,1.2.840.10008.1.2.1.99");
        GatewayConfig config = TestConfigs.gatewayConfig(p);
        DestinationSenders senders = new DestinationSenders(config);
        senders.onStart(null);

        SenderOptions options = senders.options("pacs", config.destinations().get("pacs"), "SEGGATEWAY");
        assertThat(options.transferSyntaxes()).containsExactly(StoreTransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN,
                StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(options.tls()).isNull();
        assertThat(options.callingAeTitle()).isEqualTo("SEGGATEWAY");
    }

    @Test
    void aKeyStoreWithTheWrongPasswordFailsTheStartNamingTheDestination() throws Exception {
        TestCertificates.Party gateway = TestCertificates.create(dir, "gateway");
        Map<String, String> p = pacs();
        p.put("seg-gateway.destinations.pacs.tls.enabled", "true");
        p.put("seg-gateway.destinations.pacs.tls.key-store", gateway.keyStore().toString());
        p.put("seg-gateway.destinations.pacs.tls.key-store-password", "not-the-password");
        DestinationSenders senders = new DestinationSenders(TestConfigs.gatewayConfig(p));

        assertThatThrownBy(() -> senders.onStart(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("seg-gateway.destinations.pacs.tls")
                .hasMessageContaining(gateway.keyStore().toString());
    }

    @Test
    void tlsStoresAreLoadedOnceAndSharedByEveryAssociation() throws Exception {
        TestCertificates.Party gateway = TestCertificates.create(dir, "gateway");
        Map<String, String> p = pacs();
        p.put("seg-gateway.destinations.pacs.tls.enabled", "true");
        p.put("seg-gateway.destinations.pacs.tls.key-store", gateway.keyStore().toString());
        p.put("seg-gateway.destinations.pacs.tls.key-store-password", TestCertificates.PASSWORD);
        GatewayConfig config = TestConfigs.gatewayConfig(p);
        DestinationSenders senders = new DestinationSenders(config);
        senders.onStart(null);

        List<SenderOptions> two = List.of(senders.options("pacs", config.destinations().get("pacs"), "SEGGATEWAY"),
                senders.options("pacs", config.destinations().get("pacs"), "RETRIEVER"));
        assertThat(two.get(0).tls()).isNotNull().isSameAs(two.get(1).tls());
        assertThat(two.get(0).tls().toString()).contains("client certificate from " + gateway.keyStore());
    }
}
