package org.seggateway.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.ConfigValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration is checked as a whole when loaded: one failure names every wrong key. */
class ConfigurationValidationTest {
    @TempDir
    Path modelRoot;

    private Map<String, String> valid() throws Exception {
        Files.createDirectories(modelRoot.resolve("liver-unet"));
        Map<String, String> p = new HashMap<>();
        p.put("seg-gateway.spool", "/tmp/spool");
        p.put("seg-gateway.model-root", modelRoot.toString());
        p.put("seg-gateway.routes.ct.models", "liver-unet");
        p.put("seg-gateway.routes.ct.destinations", "pacs");
        p.put("seg-gateway.destinations.pacs.host", "pacs.local");
        p.put("seg-gateway.destinations.pacs.port", "104");
        p.put("seg-gateway.destinations.pacs.ae-title", "PACS");
        p.put("seg-gateway.webhooks.ris.url", "https://ris.local/hook");
        return p;
    }

    @Test
    void aConsistentConfigurationPasses() throws Exception {
        Map<String, String> p = valid();
        p.put("seg-gateway.scp.port", "0");
        p.put("seg-gateway.scp.allowed-calling-ae-titles", "CT01,MR SCANNER 2");
        p.put("seg-gateway.completion.check-every", "off");
        p.put("seg-gateway.scp.callers.\"CT01\"", "10.1.2.0/24, 10.1.3.7");
        assertThat(TestConfigs.validatedGatewayConfig(p).destinations()).containsKey("pacs");
    }

    @Test
    void everyWrongKeyIsReportedInOneFailure() throws Exception {
        Map<String, String> p = valid();
        p.put("seg-gateway.scp.port", "70000");
        p.put("seg-gateway.scp.ae-title", "A_TITLE_LONGER_THAN_16");
        p.put("seg-gateway.scp.allowed-calling-ae-titles", "CT01,SEVENTEEN_LETTERS");
        p.put("seg-gateway.routes.ct.match.min-slices", "0");
        p.put("seg-gateway.routes.ct.match.calling-ae-titles", "CT01,SEVENTEEN_LETTERS");
        p.put("seg-gateway.routes.ct.quiet-time", "0s");
        p.put("seg-gateway.destinations.pacs.port", "0");
        p.put("seg-gateway.delivery.initial-backoff", "0s");
        p.put("seg-gateway.scp.limits.max-instance-size", "0");
        p.put("seg-gateway.completion.check-every", "sometimes");
        p.put("seg-gateway.routes.ct.destinations", "pacs,archive");
        p.put("seg-gateway.routes.ct.models", "liver-unet,spleen-unet");
        p.put("seg-gateway.routes.ct.match.series-description", "(unclosed");
        p.put("seg-gateway.reprocess.retrieve-from", "old-pacs");
        p.put("seg-gateway.webhooks.ris.url", "ftp://ris.local/hook");
        p.put("seg-gateway.webhooks.ris.events", "delivered,stored");
        p.put("seg-gateway.scp.callers.\"CT01\"", "ct01.hospital.local");

        assertThatThrownBy(() -> TestConfigs.validatedGatewayConfig(p)).isInstanceOf(ConfigValidationException.class)
                .satisfies(e -> assertThat(problems((ConfigValidationException) e)).containsExactlyInAnyOrder(
                        "seg-gateway.scp.port must be less than or equal to 65535",
                        "seg-gateway.scp.ae-title must be an AE title: 1 to 16 printable ASCII characters other than backslash, not only spaces",
                        "seg-gateway.scp.allowed-calling-ae-titles[1] must be an AE title: 1 to 16 printable ASCII characters other than backslash, not only spaces",
                        "seg-gateway routes.ct.match.min-slices must be at least 1",
                        "seg-gateway routes.ct.quiet-time must be above zero",
                        "seg-gateway routes.ct.match.calling-ae-titles[1] " + AeTitle.MESSAGE,
                        "seg-gateway destinations.pacs.port must be between 1 and 65535",
                        "seg-gateway.delivery.initial-backoff must be above zero",
                        "seg-gateway.scp.limits.max-instance-size must be above zero",
                        "seg-gateway.completion.check-every must be a positive duration (e.g. 1s, 5m, PT1M) or off",
                        "seg-gateway routes.ct.destinations names destination 'archive', which is not configured (seg-gateway.destinations: [pacs])",
                        "seg-gateway routes.ct.models names model package 'spleen-unet', but there is no folder "
                                + modelRoot.resolve("spleen-unet") + " (seg-gateway.model-root is " + modelRoot + ")",
                        "seg-gateway routes.ct.match.series-description is not a regular expression: Unclosed group near index 9",
                        "seg-gateway reprocess.retrieve-from names destination 'old-pacs', which is not configured (seg-gateway.destinations: [pacs])",
                        "seg-gateway webhooks.ris.url must be an http or https URL with a host",
                        "seg-gateway webhooks.ris.events unknown webhook event 'stored'; one of [delivered, failed]",
                        "seg-gateway scp.callers.\"CT01\" not an IP address or CIDR block (host names are not allowed): 'ct01.hospital.local'"));
    }

    @Test
    void aModelPackageOutsideTheModelRootAndTlsWithoutItsStoresAreReported() throws Exception {
        Map<String, String> p = valid();
        p.put("seg-gateway.routes.ct.models", "../elsewhere");
        p.put("seg-gateway.scp.tls.enabled", "true");
        p.put("seg-gateway.scp.tls.require-client-certificate", "true");
        p.put("seg-gateway.audit.syslog.enabled", "true");
        p.put("seg-gateway.audit.syslog.protocol", "tls");
        List<ConfigProblem> problems = ConfigurationCrossChecks.problems(TestConfigs.gatewayConfig(p));
        assertThat(problems).extracting(ConfigProblem::key).containsExactly("seg-gateway.routes.ct.models",
                "seg-gateway.scp.tls.key-store", "seg-gateway.scp.tls.key-store-password", "seg-gateway.scp.tls.trust-store",
                "seg-gateway.audit.syslog.trust-store");
        assertThat(problems.getFirst().message()).contains("'../elsewhere', which lies outside the model root " + modelRoot);
    }

    @Test
    void transferSyntaxesAreNamesOrUidsOfDecodableSyntaxesAndTheirPreferenceIsChecked() throws Exception {
        Map<String, String> p = valid();
        p.put("seg-gateway.scp.transfer-syntaxes", "jpeg-2000-lossless, 1.2.840.10008.1.2.4.80,explicit-vr-little-endian");
        p.put("seg-gateway.scp.transfer-syntax-preference", "configured");
        GatewayConfig ok = TestConfigs.validatedGatewayConfig(p);
        assertThat(org.seggateway.gateway.listener.ScpSettings.transferSyntaxes(ok.scp()))
                .isEqualTo(new org.seggateway.dicomio.net.AcceptedTransferSyntaxes(
                        List.of("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.1"), false));

        p.put("seg-gateway.scp.transfer-syntaxes", "jpeg-2000-lossless,hevc");
        List<ConfigProblem> problems = ConfigurationCrossChecks.problems(TestConfigs.gatewayConfig(p));
        assertThat(problems).extracting(ConfigProblem::key).containsExactly("seg-gateway.scp.transfer-syntaxes");
        assertThat(problems.getFirst().message()).contains("unknown or unsupported transfer syntax 'hevc'");
    }

    @Test
    void eachKindOfDestinationNeedsItsOwnSettings() throws Exception {
        Map<String, String> p = valid();
        p.remove("seg-gateway.destinations.pacs.ae-title");
        p.put("seg-gateway.destinations.web.kind", "stow-rs");
        p.put("seg-gateway.destinations.web.host", "pacs.local");
        p.put("seg-gateway.destinations.web.auth.type", "basic");
        p.put("seg-gateway.destinations.token.kind", "stow-rs");
        p.put("seg-gateway.destinations.token.url", "ftp://pacs.local/dicom-web");
        p.put("seg-gateway.destinations.token.auth.type", "bearer");
        p.put("seg-gateway.destinations.good.kind", "stow-rs");
        p.put("seg-gateway.destinations.good.url", "https://pacs.local/dicom-web");
        p.put("seg-gateway.reprocess.retrieve-from", "good");
        p.put("seg-gateway.stow-rs.senders.\"ris-bridge\"", "SEVENTEEN_LETTERS");
        List<ConfigProblem> problems = ConfigurationCrossChecks.problems(TestConfigs.gatewayConfig(p));
        assertThat(problems).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "seg-gateway.destinations.pacs.ae-title",
                "seg-gateway.destinations.web.url", "seg-gateway.destinations.web",
                "seg-gateway.destinations.web.auth.user", "seg-gateway.destinations.web.auth.password",
                "seg-gateway.destinations.token.url", "seg-gateway.destinations.token.auth.token",
                "seg-gateway.reprocess.retrieve-from", "seg-gateway.stow-rs.senders.\"ris-bridge\"");
        assertThat(problems).filteredOn(pr -> pr.key().equals("seg-gateway.destinations.web.url")).singleElement()
                .extracting(ConfigProblem::message).isEqualTo("is needed for a stow-rs destination");

        Map<String, String> ok = valid();
        ok.put("seg-gateway.destinations.good.kind", "stow-rs");
        ok.put("seg-gateway.destinations.good.url", "https://pacs.local/dicom-web");
        ok.put("seg-gateway.destinations.good.auth.type", "basic");
        ok.put("seg-gateway.destinations.good.auth.user", "gateway");
        ok.put("seg-gateway.destinations.good.auth.password", "secret");
        ok.put("seg-gateway.stow-rs.senders.\"ris-bridge\"", "RISBRIDGE");
        GatewayConfig config = TestConfigs.validatedGatewayConfig(ok);
        assertThat(config.destinations().get("good").kind()).isEqualTo(GatewayConfig.DestinationKind.STOW_RS);
        assertThat(config.destinations().get("pacs").kind()).isEqualTo(GatewayConfig.DestinationKind.DIMSE);
        assertThat(config.stowRs().senders()).containsEntry("ris-bridge", "RISBRIDGE");
    }

    private static List<String> problems(ConfigValidationException e) {
        return IntStream.range(0, e.getProblemCount()).mapToObj(i -> e.getProblem(i).getMessage()).toList();
    }
}
