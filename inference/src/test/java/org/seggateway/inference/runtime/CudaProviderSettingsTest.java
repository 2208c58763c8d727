package org.seggateway.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class CudaProviderSettingsTest {

    @Test
    void defaultsMapToTheProviderOptions() {
        assertThat(CudaProviderSettings.defaults().providerOptions(1)).containsExactly(entry("device_id", "1"),
                entry("cudnn_conv_algo_search", "EXHAUSTIVE"), entry("cudnn_conv_use_max_workspace", "1"), entry("use_tf32", "0"),
                entry("arena_extend_strategy", "kSameAsRequested"), entry("do_copy_in_default_stream", "1"));
    }

    @Test
    void changedSettingsMapToo() {
        CudaProviderSettings s = CudaProviderSettings.defaults().withTf32(true).withGpuMemLimit(8L << 30)
                .withConvAlgoSearch(CudaProviderSettings.parseSearch("Heuristic"));
        assertThat(s.providerOptions(0)).contains(entry("use_tf32", "1"), entry("gpu_mem_limit", Long.toString(8L << 30)),
                entry("cudnn_conv_algo_search", "HEURISTIC"));
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> CudaProviderSettings.parseSearch("fast")).hasMessageContaining("exhaustive, heuristic or default");
        assertThatThrownBy(() -> CudaProviderSettings.defaults().withGpuMemLimit(-1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> CudaProviderSettings.defaults().providerOptions(-1)).hasMessageContaining("device");
        assertThatThrownBy(() -> CudaSetup.parseCudaMajor("11")).hasMessageContaining("12, 13 or auto");
        assertThat(CudaSetup.parseCudaMajor("AUTO")).isZero();
        assertThat(CudaSetup.parseCudaMajor(" 13")).isEqualTo(13);
    }
}
