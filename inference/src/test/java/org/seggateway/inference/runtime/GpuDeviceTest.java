package org.seggateway.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GpuDeviceTest {

    @Test
    void nvidiaSmiLineParses() {
        GpuDevice d = GpuDevice.parse("0, NVIDIA H200, 143771, 143000, 580.159.03");
        assertThat(d).isEqualTo(new GpuDevice(0, "NVIDIA H200", 143771L << 20, 143000L << 20, "580.159.03"));
        assertThat(d.summary()).isEqualTo("GPU 0 NVIDIA H200, 140.4 GiB (139.6 GiB free), driver 580.159.03");
    }

    @Test
    void aNameWithCommasAndBadLines() {
        assertThat(GpuDevice.parse("3, Tesla, odd name, 16384, 100, 535.1").name()).isEqualTo("Tesla, odd name");
        assertThat(GpuDevice.parse("No devices were found")).isNull();
        assertThat(GpuDevice.parse("0, X, [N/A], [N/A], 1")).isNull();
    }
}
