package org.seggateway.gateway.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a MIME multipart body (RFC 2046) one part at a time from a stream, never holding more than a small buffer: each
 * part's body is an {@link InputStream} that ends at the part's delimiter. A part must be read (or is skipped) before
 * the next one is asked for.
 *
 * <p>Faults: no first delimiter within {@value #MAX_PREAMBLE} bytes, or a header block over {@value #MAX_HEADER_BYTES}
 * bytes, is a {@link MalformedMultipartException}; a body that ends inside a part makes that part's stream throw
 * {@link TruncatedPartException}, after which no part follows.
 */
public final class MultipartReader {
    static final int MAX_PREAMBLE = 64 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int BUFFER = 64 * 1024;

    /** One part: its headers (names in lower case) and its body, valid until the next call of {@link #next()}. */
    public record Part(int number, Map<String, String> headers, InputStream body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final InputStream in;
    /** CR LF "--" boundary: what ends a part (the stream is read as if it began with CR LF). */
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean started;
    private boolean closed;
    private int parts;
    private PartBody current;

    public MultipartReader(InputStream in, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70)
            throw new IllegalArgumentException("a multipart boundary has 1 to 70 characters");
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[BUFFER + delimiter.length];
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    /** The next part, or null after the close delimiter (or after a part that was cut off). */
    public Part next() throws IOException {
        if (!started) {
            started = true;
            skipPreamble();
        } else if (current != null) {
            current.skip();
        }
        current = null;
        if (closed) return null;
        Map<String, String> headers = readHeaders();
        if (headers == null) return null;
        current = new PartBody();
        return new Part(++parts, headers, current);
    }

    /** Whether the body ended before the close delimiter. */
    public boolean endedEarly() {
        return closed && eof && !sawCloseDelimiter;
    }

    private boolean sawCloseDelimiter;

    private void skipPreamble() throws IOException {
        long skipped = 0;
        while (true) {
            ensure(delimiter.length);
            int at = indexOfDelimiter();
            if (at >= 0) {
                pos = at + delimiter.length;
                afterDelimiter();
                return;
            }
            if (eof) throw new MalformedMultipartException("no multipart delimiter (boundary) found in the request body");
            int safe = limit - pos - (delimiter.length - 1);
            pos += safe;
            skipped += safe;
            if (skipped > MAX_PREAMBLE)
                throw new MalformedMultipartException("no multipart delimiter (boundary) in the first " + MAX_PREAMBLE + " bytes");
        }
    }

    /** After a delimiter: "--" closes the body; else optional white space, then CR LF and the next part's headers. */
    private void afterDelimiter() throws IOException {
        ensure(2);
        if (limit - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
            closed = true;
            sawCloseDelimiter = true;
            return;
        }
        while (true) {
            ensure(2);
            if (limit - pos < 2) {
                closed = true; // ended right after a delimiter
                return;
            }
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return;
            }
            if (buf[pos] == ' ' || buf[pos] == '\t') {
                pos++;
                continue;
            }
            throw new MalformedMultipartException("unexpected characters after a multipart delimiter (a boundary inside a part?)");
        }
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int read = 0;
        while (true) {
            String line = readLine();
            if (line == null) {
                closed = true;
                return null; // ended inside a header block: no part
            }
            read += line.length() + 2;
            if (read > MAX_HEADER_BYTES)
                throw new MalformedMultipartException("part header block longer than " + MAX_HEADER_BYTES + " bytes");
            if (line.isEmpty()) return headers;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new MalformedMultipartException("part " + (parts + 1) + ": header line without a name");
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
    }

    /** A header line without its CR LF; null at the end of the stream. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            ensure(2);
            if (limit - pos < 2) return null;
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return line.toString();
            }
            line.append((char) (buf[pos++] & 0xff));
            if (line.length() > MAX_HEADER_BYTES)
                throw new MalformedMultipartException("part header line longer than " + MAX_HEADER_BYTES + " bytes");
        }
    }

    /** Reads until at least {@code n} bytes are buffered or the stream ends. */
    private void ensure(int n) throws IOException {
        if (limit - pos >= n || eof) return;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit - pos < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) eof = true;
            else limit += r;
        }
    }

    private int indexOfDelimiter() {
        byte first = delimiter[0];
        outer:
        for (int i = pos; i <= limit - delimiter.length; i++) {
            if (buf[i] != first) continue;
            for (int j = 1; j < delimiter.length; j++)
                if (buf[i + j] != delimiter[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** The body of the current part: ends (-1) at its delimiter. */
    private final class PartBody extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (len == 0) return 0;
            if (limit - pos < delimiter.length) ensure(BUFFER);
            int at = indexOfDelimiter();
            if (at == pos) {
                done = true;
                pos += delimiter.length;
                afterDelimiter();
                return -1;
            }
            int available;
            if (at > pos) {
                available = at - pos;
            } else if (eof) {
                done = true;
                closed = true;
                pos = limit;
                throw new TruncatedPartException("the request body ended inside part " + parts
                        + ", before its closing delimiter");
            } else {
                available = limit - pos - (delimiter.length - 1);
            }
            int n = Math.min(len, available);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        void skip() throws IOException {
            byte[] sink = new byte[8192];
            try {
                while (read(sink, 0, sink.length) >= 0) {
                    // draining
                }
            } catch (TruncatedPartException e) {
                // the part's owner was told, or did not care
            }
        }
    }
}
