package org.seggateway.gateway.atna;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * An RFC 5424 syslog message: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA BOM MSG}, MSG
 * being UTF-8 (so preceded by the byte order mark, as RFC 5424 6.4 asks). MSGID {@value #MSGID} says that MSG is an
 * audit message, as IHE ATNA asks.
 */
public final class SyslogMessage {
    public static final String MSGID = "IHE+RFC-3881";
    /** Severities: notice for what went as it should, warning for failures and security alerts. */
    public static final int NOTICE = 5, WARNING = 4;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private SyslogMessage() {
    }

    /**
     * @param structuredData one or more complete SD-ELEMENTs ({@link #element}), or null for none
     */
    public static byte[] format(int facility, int severity, Instant timestamp, String hostName, String appName, long processId,
                                String structuredData, byte[] utf8Message) {
        if (facility < 0 || facility > 23) throw new IllegalArgumentException("syslog facility " + facility + " not in 0..23");
        String header = "<" + (facility * 8 + severity) + ">1 "
                + DateTimeFormatter.ISO_INSTANT.format(timestamp.truncatedTo(ChronoUnit.MILLIS)) + " "
                + field(hostName, 255) + " " + field(appName, 48) + " " + processId + " " + MSGID + " "
                + (structuredData == null ? "-" : structuredData) + " ";
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + 3 + utf8Message.length);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(BOM);
        out.writeBytes(utf8Message);
        return out.toByteArray();
    }

    /** An SD-ELEMENT {@code [id name="value" ...]} with the values escaped; {@code parameters} alternate name, value. */
    public static String element(String id, String... parameters) {
        StringBuilder sd = new StringBuilder("[").append(id);
        for (int i = 0; i + 1 < parameters.length; i += 2) {
            if (parameters[i + 1] == null) continue;
            sd.append(' ').append(parameters[i]).append("=\"")
                    .append(parameters[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]")).append('"');
        }
        return sd.append(']').toString();
    }

    /** RFC 6587 3.4.1 octet counting: {@code MSG-LEN SP SYSLOG-MSG}, for TCP and TLS (RFC 5425 4.3). */
    public static byte[] octetCounted(byte[] message) {
        byte[] length = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[length.length + message.length];
        System.arraycopy(length, 0, framed, 0, length.length);
        System.arraycopy(message, 0, framed, length.length, message.length);
        return framed;
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters; "-" when empty. */
    static String field(String value, int max) {
        if (value == null || value.isEmpty()) return "-";
        StringBuilder s = new StringBuilder();
        for (char ch : value.toCharArray()) s.append(ch > 32 && ch < 127 ? ch : '_');
        return s.length() > max ? s.substring(0, max) : s.toString();
    }
}
