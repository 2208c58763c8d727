package org.seggateway.dicomio.net;

import com.pixelmed.dicom.VersionAndConstants;
import com.pixelmed.network.PresentationContext;
import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The association PDUs our requestor writes and reads when it opens the socket itself ({@link TlsAssociationInitiator}):
 * A-ASSOCIATE-RQ out (PS3.8 9.3.2), A-ASSOCIATE-AC (9.3.3), -RJ (9.3.4) and A-ABORT (9.3.8) in. Only what an SCU that
 * proposes presentation contexts needs: no role selection, no extended negotiation, no user identity.
 */
final class AssociationPdus {
    static final int ASSOCIATE_RQ = 0x01;
    static final int ASSOCIATE_AC = 0x02;
    static final int ASSOCIATE_RJ = 0x03;
    static final int ABORT = 0x07;

    private static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
    private static final int FIXED_FIELDS_LENGTH = 68; // version, reserved, called AE, calling AE, reserved 32

    private AssociationPdus() {}

    /** What the acceptor agreed to: the accepted contexts (with the abstract syntax we proposed) and its maximum PDU length. */
    record Accept(List<PresentationContext> contexts, int maxPduLength) {}

    static byte[] request(String calledAeTitle, String callingAeTitle, int maxPduLength, List<PresentationContext> contexts) {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        item(items, 0x10, ascii(APPLICATION_CONTEXT));
        for (PresentationContext pc : contexts) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(pc.getIdentifier());
            body.writeBytes(new byte[3]);
            item(body, 0x30, ascii(pc.getAbstractSyntaxUID()));
            for (Object ts : pc.getTransferSyntaxUIDs()) item(body, 0x40, ascii((String) ts));
            item(items, 0x20, body.toByteArray());
        }
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        item(user, 0x51, ByteBuffer.allocate(4).putInt(maxPduLength).array());
        item(user, 0x52, ascii(VersionAndConstants.implementationClassUID));
        item(user, 0x55, ascii(VersionAndConstants.implementationVersionName));
        item(items, 0x50, user.toByteArray());

        ByteBuffer pdu = ByteBuffer.allocate(6 + FIXED_FIELDS_LENGTH + items.size());
        pdu.put((byte) ASSOCIATE_RQ).put((byte) 0).putInt(FIXED_FIELDS_LENGTH + items.size());
        pdu.putShort((short) 1).putShort((short) 0).put(aeTitle(calledAeTitle)).put(aeTitle(callingAeTitle)).put(new byte[32]);
        pdu.put(items.toByteArray());
        return pdu.array();
    }

    /** Reads an A-ASSOCIATE-AC (the whole PDU, header included) against the contexts we proposed. */
    static Accept accept(byte[] pdu, List<PresentationContext> proposed) throws ProtocolException {
        if (pdu.length < 6 + FIXED_FIELDS_LENGTH || (pdu[0] & 0xff) != ASSOCIATE_AC)
            throw new ProtocolException("not an A-ASSOCIATE-AC");
        ByteBuffer b = ByteBuffer.wrap(pdu);
        List<PresentationContext> accepted = new ArrayList<>();
        int maxPduLength = 0;
        int offset = 6 + FIXED_FIELDS_LENGTH;
        while (offset + 4 <= pdu.length) {
            int type = pdu[offset] & 0xff;
            int length = b.getShort(offset + 2) & 0xffff;
            int start = offset + 4, end = start + length;
            if (end > pdu.length) throw new ProtocolException("A-ASSOCIATE-AC item 0x" + Integer.toHexString(type) + " runs past the PDU");
            if (type == 0x21 && length >= 4) {
                byte id = pdu[start];
                int result = pdu[start + 2] & 0xff;
                String transferSyntax = subItems(pdu, start + 4, end).getOrDefault(0x40, "");
                PresentationContext ours = proposed.stream().filter(p -> p.getIdentifier() == id).findFirst().orElse(null);
                if (result == 0 && ours != null && !transferSyntax.isEmpty())
                    accepted.add(new PresentationContext(id, (byte) 0, ours.getAbstractSyntaxUID(), transferSyntax));
            } else if (type == 0x50) {
                for (int sub = start; sub + 4 <= end; ) {
                    int subType = pdu[sub] & 0xff, subLength = b.getShort(sub + 2) & 0xffff;
                    if (subType == 0x51 && subLength == 4) maxPduLength = b.getInt(sub + 4);
                    sub += 4 + subLength;
                }
            }
            offset = end;
        }
        return new Accept(List.copyOf(accepted), maxPduLength);
    }

    /** "result R, source S, reason N" of an A-ASSOCIATE-RJ, or "source S, reason N" of an A-ABORT. */
    static String describe(byte[] pdu) {
        if (pdu.length < 10) return "(truncated PDU)";
        int type = pdu[0] & 0xff;
        return (type == ASSOCIATE_RJ ? "result " + (pdu[7] & 0xff) + ", " : "") + "source " + (pdu[8] & 0xff) + ", reason "
                + (pdu[9] & 0xff);
    }

    private static Map<Integer, String> subItems(byte[] pdu, int from, int to) {
        Map<Integer, String> values = new HashMap<>();
        ByteBuffer b = ByteBuffer.wrap(pdu);
        for (int sub = from; sub + 4 <= to; ) {
            int length = b.getShort(sub + 2) & 0xffff;
            if (sub + 4 + length > to) break;
            values.put(pdu[sub] & 0xff, new String(pdu, sub + 4, length, StandardCharsets.US_ASCII).replace("\0", "").strip());
            sub += 4 + length;
        }
        return values;
    }

    private static void item(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(0);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] aeTitle(String aeTitle) {
        byte[] field = new byte[16];
        Arrays.fill(field, (byte) ' ');
        byte[] value = ascii(aeTitle);
        System.arraycopy(value, 0, field, 0, Math.min(16, value.length));
        return field;
    }
}
