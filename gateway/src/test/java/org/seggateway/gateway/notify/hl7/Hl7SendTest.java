package org.seggateway.gateway.notify.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.util.Terser;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.notify.ChannelAnswer;
import org.seggateway.gateway.notify.NotificationChannel;
import org.seggateway.gateway.notify.ResultReport;
import org.seggateway.gateway.notify.ResultReports;

/** The acknowledgment handling of one MLLP exchange, against a real MLLP listener that parses with HAPI. */
class Hl7SendTest {
    private final Hl7Send send = new Hl7Send();
    private final ResultReport report = ResultReports.ct(42, 1);

    private ChannelAnswer sendTo(int port, Duration timeout) {
        return send.send(ResultReports.due(NotificationChannel.HL7, "ris", report), ResultReports.hl7(port, timeout));
    }

    @Test
    void aaIsAccepted() throws Exception {
        try (MllpRis ris = new MllpRis(0, n -> MllpRis.Reply.AA)) {
            ChannelAnswer answer = sendTo(ris.port(), Duration.ofSeconds(10));
            assertThat(answer).isEqualTo(ChannelAnswer.accepted(null, "AA"));
            assertThat(ris.received()).hasSize(1);
            MllpRis.Received got = ris.received().getFirst();
            assertThat(got.parseError()).isNull();
            assertThat(new Terser(got.message()).get("/MSH-10")).isEqualTo("SEGGW42.1");
            assertThat(got.er7()).contains("PID|1||PAT-0042\r").doesNotContain("^^^^^^");
        }
    }

    @Test
    void aeIsRefusedWithTheReceiversReason() throws Exception {
        try (MllpRis ris = new MllpRis(0, n -> MllpRis.Reply.AE)) {
            ChannelAnswer answer = sendTo(ris.port(), Duration.ofSeconds(10));
            assertThat(answer.accepted()).isFalse();
            assertThat(answer.refused()).as("AE: the same message would be refused again").isTrue();
            assertThat(answer.ackCode()).isEqualTo("AE");
            assertThat(answer.error()).startsWith("application error AE: ").contains("Unknown patient identifier");
        }
    }

    @Test
    void arIsRetried() throws Exception {
        try (MllpRis ris = new MllpRis(0, n -> MllpRis.Reply.AR)) {
            ChannelAnswer answer = sendTo(ris.port(), Duration.ofSeconds(10));
            assertThat(answer.accepted()).isFalse();
            assertThat(answer.refused()).isFalse();
            assertThat(answer.ackCode()).isEqualTo("AR");
            assertThat(answer.error()).contains("Database unavailable");
        }
    }

    @Test
    void anAckOfAnotherMessageIsNotTakenForOurs() throws Exception {
        try (MllpRis ris = new MllpRis(0, n -> MllpRis.Reply.WRONG_ID)) {
            ChannelAnswer answer = sendTo(ris.port(), Duration.ofSeconds(10));
            assertThat(answer.accepted()).isFalse();
            assertThat(answer.refused()).isFalse();
            assertThat(answer.error()).contains("MSA-2 SOMETHING-ELSE").contains("SEGGW42.1");
        }
    }

    @Test
    void aConnectionClosedWithoutAckIsRetried() throws Exception {
        try (MllpRis ris = new MllpRis(0, n -> MllpRis.Reply.CLOSE)) {
            ChannelAnswer answer = sendTo(ris.port(), Duration.ofSeconds(10));
            assertThat(answer.accepted()).isFalse();
            assertThat(answer.refused()).isFalse();
            assertThat(answer.error()).contains("connection closed before an acknowledgment");
            assertThat(ris.received()).hasSize(1);
        }
    }

    @Test
    void noAckWithinTheTimeoutIsRetried() throws Exception {
        try (MllpRis ris = new MllpRis(0, n -> MllpRis.Reply.SILENT)) {
            long start = System.nanoTime();
            ChannelAnswer answer = sendTo(ris.port(), Duration.ofMillis(700));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(answer.refused()).isFalse();
            assertThat(answer.error()).isEqualTo("127.0.0.1:" + ris.port() + ": no acknowledgment within PT0.7S");
        }
    }

    @Test
    void aRisThatIsDownIsRetried() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ChannelAnswer answer = sendTo(port, Duration.ofSeconds(5));
        assertThat(answer.refused()).isFalse();
        assertThat(answer.error()).startsWith("cannot connect to 127.0.0.1:" + port);
    }
}
