package org.seggateway.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.volume.VolumeLimits;

/** seg-gateway.volume-limits.*: read, defaulted, and refused at start with the key named. */
class VolumeLimitsConfigTest {

    @Test
    void defaultsAreTheReadersDefaults() {
        assertThat(TestConfigs.gatewayConfig(Map.of("seg-gateway.spool", "/tmp/s")).volumeLimits().toVolumeLimits())
                .isEqualTo(VolumeLimits.DEFAULTS);
    }

    @Test
    void configuredValuesReachTheReader() {
        GatewayConfig config = TestConfigs.gatewayConfig(Map.of("seg-gateway.spool", "/tmp/s",
                "seg-gateway.volume-limits.max-voxels", "1000000", "seg-gateway.volume-limits.max-bytes", "64M",
                "seg-gateway.volume-limits.max-interpolated-fraction", "0"));
        assertThat(config.volumeLimits().toVolumeLimits()).isEqualTo(new VolumeLimits(1_000_000, 64L << 20, 0));
    }

    @Test
    void anOutOfRangeValueNamesItsKey() {
        GatewayConfig config = TestConfigs.gatewayConfig(Map.of("seg-gateway.spool", "/tmp/s",
                "seg-gateway.volume-limits.max-voxels", "3000000000"));
        assertThatThrownBy(() -> config.volumeLimits().toVolumeLimits()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seg-gateway.volume-limits.max-voxels must be between 1 and 2147483639, found 3000000000");
    }
}
