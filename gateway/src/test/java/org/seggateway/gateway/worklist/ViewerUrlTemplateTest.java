package org.seggateway.gateway.worklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.ConfigValidationException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.config.TestConfigs;

class ViewerUrlTemplateTest {

    @Test
    void replacesEachPlaceholderUrlEncoded() {
        ViewerUrlTemplate t = new ViewerUrlTemplate("https://ohif.example.org/viewer?StudyInstanceUIDs={studyInstanceUid}&acc={accessionNumber}");
        assertThat(t.expand(Map.of("studyInstanceUid", "1.2.840.1", "accessionNumber", "A&B 7/x?=#")))
                .contains("https://ohif.example.org/viewer?StudyInstanceUIDs=1.2.840.1&acc=A%26B%207%2Fx%3F%3D%23");
        Map<String, String> noAccession = new HashMap<>();
        noAccession.put("studyInstanceUid", "1.2.3");
        assertThat(t.expand(noAccession)).as("no link without a value for a placeholder").isEmpty();
        assertThat(new ViewerUrlTemplate("http://viewer:8042/app/{studyInstanceUid}").expand(Map.of("studyInstanceUid", "1.2")))
                .contains("http://viewer:8042/app/1.2");
    }

    @Test
    void namesWhatIsWrongWithATemplate() {
        assertThat(ViewerUrlTemplate.problem("ftp://viewer/{studyInstanceUid}")).hasValue("must start with http:// or https://");
        assertThat(ViewerUrlTemplate.problem("javascript:alert(1)")).hasValue("must start with http:// or https://");
        assertThat(ViewerUrlTemplate.problem("https://viewer/{patientName}")).get().asString()
                .startsWith("names the unknown placeholder {patientName}").contains("{accessionNumber}", "{studyInstanceUid}");
        assertThat(ViewerUrlTemplate.problem("https://viewer/{studyInstanceUid")).get().asString().contains("brace");
        assertThat(ViewerUrlTemplate.problem("https:///path")).isPresent();
        assertThat(ViewerUrlTemplate.problem(" ")).isPresent();
        assertThat(ViewerUrlTemplate.problem("https://ohif.example.org/viewer?StudyInstanceUIDs={studyInstanceUid}")).isEmpty();
        assertThatThrownBy(() -> new ViewerUrlTemplate("ftp://x/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBadTemplateStopsTheStartWithTheKeyAndTheReason() {
        Map<String, String> p = new HashMap<>();
        p.put("seg-gateway.spool", Path.of("/tmp/spool").toString());
        p.put("seg-gateway.worklist.viewer-url", "https://viewer.example.org/?patient={patientId}");
        assertThatThrownBy(() -> TestConfigs.validatedGatewayConfig(p)).isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("seg-gateway.worklist.viewer-url")
                .hasMessageContaining("names the unknown placeholder {patientId}");
        p.put("seg-gateway.worklist.viewer-url", "https://viewer.example.org/?s={studyInstanceUid}");
        assertThat(TestConfigs.validatedGatewayConfig(p).worklist().viewerUrl()).hasValue("https://viewer.example.org/?s={studyInstanceUid}");
    }
}
