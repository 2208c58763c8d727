package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pixelmed.network.PresentationContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The A-ASSOCIATE PDUs of {@link AssociationPdus}, byte by byte (PS3.8 9.3); the TLS tests run them against DCMTK and Orthanc. */
class AssociationPdusTest {
    private static final String SEG = "1.2.840.10008.5.1.4.1.1.66.4";
    private static final String SR = "1.2.840.10008.5.1.4.1.1.88.22";

    private final List<PresentationContext> proposed = List.of(
            ScuAssociations.context(1, SEG, List.of(StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
                    StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN)),
            ScuAssociations.context(3, SR, List.of(StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN)));

    @Test
    void theRequestCarriesBothAeTitlesEveryContextAndOurMaximumPduLength() throws Exception {
        byte[] rq = AssociationPdus.request("PACS", "SEGGATEWAY", 65536, proposed);

        AssociateRequestHeader header = AssociateRequestHeader.read(new ByteArrayInputStream(rq), 1 << 16);
        assertThat(header.calledAeTitle()).isEqualTo("PACS");
        assertThat(header.callingAeTitle()).isEqualTo("SEGGATEWAY");
        assertThat(ByteBuffer.wrap(rq).getInt(2)).isEqualTo(rq.length - 6);
        assertThat(ByteBuffer.wrap(rq).getShort(6)).as("protocol version").isEqualTo((short) 1);
        String text = new String(rq, StandardCharsets.US_ASCII);
        assertThat(text).contains("1.2.840.10008.3.1.1.1", SEG, SR, StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        int deflated = indexOf(rq, sub(0x40, ascii(StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)));
        int explicit = indexOf(rq, sub(0x40, ascii(StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN)));
        assertThat(deflated).as("transfer syntaxes in the order given").isPositive().isLessThan(explicit);
        int maxItem = indexOf(rq, new byte[] {0x51, 0, 0, 4});
        assertThat(maxItem).isPositive();
        assertThat(ByteBuffer.wrap(rq).getInt(maxItem + 4)).isEqualTo(65536);
    }

    @Test
    void theAcceptKeepsOnlyAcceptedContextsWithTheAbstractSyntaxWeProposed() throws Exception {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        item(items, 0x10, ascii("1.2.840.10008.3.1.1.1"));
        item(items, 0x21, concat(new byte[] {1, 0, 0, 0}, sub(0x40, ascii(StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN))));
        item(items, 0x21, concat(new byte[] {3, 0, 4, 0}, sub(0x40, ascii(StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN))));
        item(items, 0x50, concat(sub(0x51, ByteBuffer.allocate(4).putInt(16384).array()), sub(0x52, ascii("1.2.3"))));
        byte[] ac = ByteBuffer.allocate(6 + 68 + items.size()).put((byte) 2).put((byte) 0).putInt(68 + items.size())
                .putShort((short) 1).put(new byte[66]).put(items.toByteArray()).array();

        AssociationPdus.Accept accept = AssociationPdus.accept(ac, proposed);

        assertThat(accept.maxPduLength()).isEqualTo(16384);
        assertThat(accept.contexts()).singleElement().satisfies(pc -> {
            assertThat(pc.getIdentifier()).isEqualTo((byte) 1);
            assertThat(pc.getAbstractSyntaxUID()).isEqualTo(SEG);
            assertThat(pc.getTransferSyntaxUID()).isEqualTo(StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        });
    }

    @Test
    void aRejectIsDescribedAndAnythingElseIsNotTakenForAnAccept() {
        assertThat(AssociationPdus.describe(new byte[] {3, 0, 0, 0, 0, 4, 0, 1, 1, 7})).isEqualTo("result 1, source 1, reason 7");
        assertThat(AssociationPdus.describe(new byte[] {7, 0, 0, 0, 0, 4, 0, 0, 2, 0})).isEqualTo("source 2, reason 0");
        assertThatThrownBy(() -> AssociationPdus.accept(new byte[] {3, 0, 0, 0, 0, 4, 0, 1, 1, 7}, proposed))
                .isInstanceOf(ProtocolException.class);
    }

    private static void item(ByteArrayOutputStream out, int type, byte[] value) {
        out.writeBytes(sub(type, value));
    }

    private static byte[] sub(int type, byte[] value) {
        return ByteBuffer.allocate(4 + value.length).put((byte) type).put((byte) 0).putShort((short) value.length).put(value).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
