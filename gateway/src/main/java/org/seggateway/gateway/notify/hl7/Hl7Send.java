package org.seggateway.gateway.notify.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.notify.ChannelAnswer;
import org.seggateway.gateway.notify.NotificationRepository.Due;
import org.seggateway.gateway.notify.ResultReport;

/**
 * Sends a result's ORU^R01 to its RIS over MLLP and reads the acknowledgment (original mode, HL7 v2.5.1 section 2.9):
 * <ul>
 * <li>AA (or CA): accepted, the message is sent;</li>
 * <li>AE (or CE), application error: the receiver processed the message and found an error in it; the same message
 * would be refused again, so it is failed at once with the error (ERR-8, ERR-7, MSA-3, ERR-3) recorded;</li>
 * <li>AR (or CR), application reject: the receiver could not take it for a reason not of its content (system down,
 * internal error, unsupported type or version); retried with the notification backoff until max-attempts/max-age;</li>
 * <li>no connection, no answer within the timeout, a closed connection, an answer that is not an ACK of this
 * message (another MSA-2): retried the same way.</li>
 * </ul>
 * Never throws for what the RIS does; a message that cannot be built (no patient ID) throws, and the sender marks it failed.
 */
@ApplicationScoped
public class Hl7Send {
    /** Of an error text from the RIS, this much goes into last_error. */
    private static final int ERROR_CHARS = 200;

    public ChannelAnswer send(Due due, GatewayConfig.Hl7Receiver receiver) {
        if (receiver == null)
            return ChannelAnswer.retry(null, null, "HL7 receiver '" + due.webhook() + "' is not configured (seg-gateway.hl7."
                    + due.webhook() + ".*)");
        ResultReport report = ResultReport.fromJson(due.body());
        String message = Hl7ResultMessage.encode(report, receiver);
        String where = address(receiver);
        byte[] answer;
        try {
            answer = MllpClient.exchange(receiver.host(), receiver.port(), receiver.timeout(), message.getBytes(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            return ChannelAnswer.retry(null, null, "cannot connect to " + where + detail(e));
        } catch (SocketTimeoutException e) {
            return ChannelAnswer.retry(null, null, where + ": " + e.getMessage());
        } catch (IOException e) {
            return ChannelAnswer.retry(null, null, where + ": " + e.getClass().getSimpleName() + detail(e));
        }
        return acknowledgment(new String(answer, StandardCharsets.UTF_8), Hl7ResultMessage.controlId(report));
    }

    /** What the ACK text says of the message {@code controlId}. */
    static ChannelAnswer acknowledgment(String ack, String controlId) {
        String code, acknowledged, text;
        try {
            Message parsed = Hl7ResultMessage.HAPI.getPipeParser().parse(ack.replace("\r\n", "\r").replace('\n', '\r'));
            Terser t = new Terser(parsed);
            code = t.get("/MSA-1");
            acknowledged = t.get("/MSA-2");
            text = texts(t, "/ERR-8", "/ERR-7", "/MSA-3", "/ERR-3-9", "/ERR-3-2");
            String errorCode = texts(t, "/ERR-3-1");
            if (!errorCode.isEmpty()) text = text.isEmpty() ? "error code " + errorCode : text + " (" + errorCode + ")";
        } catch (HL7Exception | RuntimeException e) {
            return ChannelAnswer.retry(null, null, "answer is not an HL7 acknowledgment: " + e.getMessage());
        }
        if (code == null) return ChannelAnswer.retry(null, null, "acknowledgment without MSA-1");
        if (!controlId.equals(acknowledged))
            return ChannelAnswer.retry(null, code, "acknowledgment of another message (MSA-2 " + acknowledged + ", sent " + controlId + ")");
        String reason = code + (text == null || text.isBlank() ? "" : ": " + shorten(text));
        return switch (code) {
            case "AA", "CA" -> ChannelAnswer.accepted(null, code);
            case "AE", "CE" -> ChannelAnswer.refused(null, code, "application error " + reason);
            case "AR", "CR" -> ChannelAnswer.retry(null, code, "application reject " + reason);
            default -> ChannelAnswer.retry(null, code.length() > 2 ? null : code, "unknown acknowledgment code " + reason);
        };
    }

    /**
     * The distinct texts of the ACK's fields that may say why (user message, diagnostics, MSA-3, the error code's
     * original text and its text), joined by "; ".
     */
    private static String texts(Terser t, String... paths) {
        java.util.LinkedHashSet<String> texts = new java.util.LinkedHashSet<>();
        for (String path : paths) {
            try {
                String v = t.get(path);
                if (v != null && !v.isBlank()) texts.add(v.strip());
            } catch (HL7Exception | RuntimeException e) {
                // an ACK without that segment or field: another one may say it
            }
        }
        return String.join("; ", texts);
    }

    private static String shorten(String text) {
        String s = text.replaceAll("\\s+", " ").strip();
        return s.length() > ERROR_CHARS ? s.substring(0, ERROR_CHARS) + "..." : s;
    }

    private static String detail(IOException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage();
    }

    public static String address(GatewayConfig.Hl7Receiver receiver) {
        return receiver.host() + ":" + receiver.port();
    }
}
