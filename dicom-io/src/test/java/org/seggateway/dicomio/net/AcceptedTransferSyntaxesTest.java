package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptedTransferSyntaxesTest {
    static final String J2K = "1.2.840.10008.1.2.4.90", JLS = "1.2.840.10008.1.2.4.80", BASELINE = "1.2.840.10008.1.2.4.50";

    @Test
    void namesAndUidsParseInTheirOrder() {
        AcceptedTransferSyntaxes a = AcceptedTransferSyntaxes.parse(List.of("JPEG-2000-Lossless", " 1.2.840.10008.1.2.4.80 ",
                "explicit-vr-little-endian"), true);

        assertThat(a.uids()).containsExactly(J2K, JLS, "1.2.840.10008.1.2.1");
    }

    @Test
    void unknownDuplicateAndUnsupportedEntriesAreClearErrors() {
        assertThatThrownBy(() -> AcceptedTransferSyntaxes.parse(List.of("jpeg-xl"), true))
                .hasMessageContaining("unknown or unsupported transfer syntax 'jpeg-xl'").hasMessageContaining("jpeg-ls-lossless");
        assertThatThrownBy(() -> AcceptedTransferSyntaxes.parse(List.of("1.2.840.10008.1.2.2"), true)) // big endian, retired
                .hasMessageContaining("'1.2.840.10008.1.2.2'");
        assertThatThrownBy(() -> AcceptedTransferSyntaxes.parse(List.of("rle-lossless", "1.2.840.10008.1.2.5"), true))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> AcceptedTransferSyntaxes.parse(List.of(), true)).hasMessageContaining("no transfer syntax");
    }

    @Test
    void senderOrderTakesTheSendersFirstAcceptedSyntaxConfiguredOrderOurs() {
        List<String> offered = List.of("1.2.840.10008.1.2.4.100", BASELINE, J2K, "1.2.840.10008.1.2.1");
        AcceptedTransferSyntaxes defaults = AcceptedTransferSyntaxes.defaults();
        AcceptedTransferSyntaxes ours = new AcceptedTransferSyntaxes(defaults.uids(), false);

        assertThat(defaults.choose(offered)).isEqualTo(BASELINE);
        assertThat(ours.choose(offered)).isEqualTo("1.2.840.10008.1.2.1"); // uncompressed before lossless before lossy
        assertThat(ours.choose(List.of(BASELINE, J2K))).isEqualTo(J2K);
        assertThat(defaults.choose(List.of("1.2.840.10008.1.2.4.100"))).isNull();
    }
}
