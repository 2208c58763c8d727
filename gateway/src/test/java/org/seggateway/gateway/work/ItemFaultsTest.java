package org.seggateway.gateway.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which failures are an item's own (it fails alone) and which are an outage (nothing is marked). */
class ItemFaultsTest {
    @Test
    void bugsBadDataAndErrorsAreTheItemsOutagesAreNot() {
        assertThat(ItemFaults.attributableToItem(new ClassCastException("LO is not SQ"))).isTrue();
        assertThat(ItemFaults.attributableToItem(new IllegalArgumentException("chunk does not fit"))).isTrue();
        assertThat(ItemFaults.attributableToItem(new OutOfMemoryError("Java heap space"))).isTrue();
        assertThat(ItemFaults.attributableToItem(new IOException("cannot build the SEG header"))).isTrue();

        assertThat(ItemFaults.attributableToItem(new SQLException("connection refused", "08001"))).isFalse();
        assertThat(ItemFaults.attributableToItem(new IllegalStateException("wrapped", new SQLException("gone", "08006")))).isFalse();
        assertThat(ItemFaults.attributableToItem(new TimeoutException("broker not available"))).isFalse();
        assertThat(ItemFaults.attributableToItem(new IOException("cannot write SEG x.dcm: No space left on device",
                new IOException("No space left on device")))).isFalse();
        assertThat(ItemFaults.attributableToItem(new UncheckedIOException(new IOException("No space left on device")))).isFalse();
    }

    @Test
    void theReasonNamesTheExceptionAndItsMessage() {
        assertThat(ItemFaults.describe(new ClassCastException("a cannot be cast to b"))).isEqualTo("ClassCastException: a cannot be cast to b");
        assertThat(ItemFaults.describe(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
