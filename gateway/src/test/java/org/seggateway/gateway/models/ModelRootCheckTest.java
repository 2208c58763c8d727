package org.seggateway.gateway.models;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.config.TestConfigs;

class ModelRootCheckTest {
    @TempDir
    Path root;

    @Test
    void aConfiguredRouteNamingAModelOutsideTheRootIsAStartError() {
        assertThatCode(() -> check("liver-unet")).as("inside, even while missing").doesNotThrowAnyException();
        assertThatCode(() -> check(root.resolve("liver-unet").toString())).doesNotThrowAnyException();
        assertThatThrownBy(() -> check("../liver-unet")).hasMessageContaining("seg-gateway.routes.ct.models")
                .hasMessageContaining("lies outside the model root").hasMessageContaining("Set seg-gateway.model-root");
        assertThatThrownBy(() -> check("/opt/models/liver-unet")).hasMessageContaining("'/opt/models/liver-unet' lies outside");
    }

    private void check(String model) {
        GatewayConfig config = TestConfigs.gatewayConfig(Map.of("seg-gateway.spool", "/tmp/spool", "seg-gateway.model-root", root.toString(),
                "seg-gateway.routes.ct.models", model, "seg-gateway.routes.ct.destinations", "pacs"));
        new ModelRootCheck(config, new ModelPackages(config)).check(null);
    }
}
