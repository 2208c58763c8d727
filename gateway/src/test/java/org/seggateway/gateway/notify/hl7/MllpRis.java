package org.seggateway.gateway.notify.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A RIS for the tests: a real MLLP listener on loopback that reads each framed message, parses it with HAPI (default
 * validation of the primitive types) and answers as {@code policy} says for the n-th message (1-based): an ACK with
 * AA, AE or AR, an ACK of another control ID, no answer before closing, or no answer at all (the sender times out).
 */
public final class MllpRis implements AutoCloseable {
    public enum Reply { AA, AE, AR, WRONG_ID, CLOSE, SILENT }

    /** A message as it arrived: its text (ER7) and HAPI's parse of it (null when it did not parse). */
    public record Received(String er7, Message message, String parseError) {}

    private static final int VT = 0x0b, FS = 0x1c, CR = 0x0d;
    private final HapiContext hapi = context();
    private final ServerSocket server;
    private final IntFunction<Reply> policy;
    private final List<Received> received = new ArrayList<>();
    private final Thread acceptor;

    public MllpRis(int port, IntFunction<Reply> policy) throws IOException {
        this.server = new ServerSocket(port, 16, InetAddress.getLoopbackAddress());
        this.policy = policy;
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    private static HapiContext context() {
        HapiContext context = new DefaultHapiContext();
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator()); // no counter file for the ACKs' IDs
        return context;
    }

    public int port() {
        return server.getLocalPort();
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String er7;
            while ((er7 = readFrame(in)) != null) {
                Message message = null;
                String parseError = null;
                try {
                    message = hapi.getPipeParser().parse(er7);
                } catch (HL7Exception e) {
                    parseError = e.getMessage();
                }
                int n;
                synchronized (this) {
                    received.add(new Received(er7, message, parseError));
                    n = received.size();
                }
                Reply reply = message == null ? Reply.AR : policy.apply(n);
                if (reply == Reply.CLOSE) return;
                if (reply == Reply.SILENT) {
                    Thread.sleep(60_000);
                    return;
                }
                String ack = ack(message, reply);
                out.write(VT);
                out.write(ack.getBytes(StandardCharsets.UTF_8));
                out.write(FS);
                out.write(CR);
                out.flush();
            }
        } catch (IOException | HL7Exception | InterruptedException e) {
            // the test sees what was received; a broken connection ends this one
        }
    }

    private static String ack(Message message, Reply reply) throws HL7Exception, IOException {
        Message ack = switch (reply) {
            case AA, WRONG_ID -> message.generateACK();
            case AE -> message.generateACK(AcknowledgmentCode.AE, new HL7Exception("Unknown patient identifier"));
            case AR -> message.generateACK(AcknowledgmentCode.AR, new HL7Exception("Database unavailable"));
            default -> throw new IllegalStateException();
        };
        String er7 = ack.encode();
        return reply == Reply.WRONG_ID ? er7.replaceFirst("MSA\\|AA\\|[^|\\r]*", "MSA|AA|SOMETHING-ELSE") : er7;
    }

    /** One framed message, or null at the end of the stream. */
    private static String readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != VT) if (b < 0) return null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            b = in.read();
            if (b < 0) return null;
            if (b == FS) {
                if (in.read() != CR) throw new IOException("FS not followed by CR");
                return body.toString(StandardCharsets.UTF_8);
            }
            body.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
