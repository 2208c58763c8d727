package org.seggateway.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MinInSyncReplicasTest {
    @Test
    void twoCopiesWheneverThereCanBeTwo() {
        assertThat(TopicSetup.minInSyncReplicas(1)).isEqualTo(1);
        assertThat(TopicSetup.minInSyncReplicas(2)).isEqualTo(2);
        assertThat(TopicSetup.minInSyncReplicas(3)).isEqualTo(2);
        assertThat(TopicSetup.minInSyncReplicas(5)).isEqualTo(2);
    }
}
