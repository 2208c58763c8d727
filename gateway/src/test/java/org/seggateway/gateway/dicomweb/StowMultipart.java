package org.seggateway.gateway.dicomweb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A STOW-RS request body made by hand, so that a test can put in it what a client should not. */
final class StowMultipart {
    static final String BOUNDARY = "stow-test-7d3a";
    static final String CONTENT_TYPE = "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;

    record Part(String contentType, byte[] bytes) {
        static Part dicom(byte[] bytes) {
            return new Part("application/dicom", bytes);
        }
    }

    private StowMultipart() {}

    /** The parts, then the close delimiter unless {@code closed} is false (the body then ends inside the last part). */
    static byte[] body(List<Part> parts, boolean closed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: " + p.contentType() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p.bytes());
            if (closed || p != parts.getLast()) out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (closed) out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
