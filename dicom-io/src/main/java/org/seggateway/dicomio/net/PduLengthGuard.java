package org.seggateway.dicomio.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;

/**
 * The input PixelMed reads an association's PDUs from, failing on a PDU that claims more than {@code maxLength}
 * bytes. PixelMed allocates an array of the claimed length for each PDU before reading it, so without this one PDU
 * header saying 2 GiB would cost 2 GiB of heap. It follows the PDU framing (6-byte header with a 4-byte length) of
 * the bytes passing through and never buffers more than a header.
 */
final class PduLengthGuard extends FilterInputStream {

    private static final int HEADER_LENGTH = 6;

    private final long maxLength;
    private final byte[] header = new byte[HEADER_LENGTH];
    private int headerFill;
    private long bodyRemaining;

    PduLengthGuard(InputStream in, long maxLength) {
        super(in);
        this.maxLength = maxLength;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        boolean inHeader = bodyRemaining == 0;
        int want = (int) Math.min(len, inHeader ? HEADER_LENGTH - headerFill : bodyRemaining);
        int n = in.read(b, off, want);
        if (n <= 0) return n;
        if (inHeader) {
            System.arraycopy(b, off, header, headerFill, n);
            headerFill += n;
            if (headerFill == HEADER_LENGTH) {
                headerFill = 0;
                long length = ((header[2] & 0xffL) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8)
                        | (header[5] & 0xff);
                if (length > maxLength)
                    throw new ProtocolException(String.format("PDU type 0x%02X of %d bytes exceeds the limit of %d",
                            header[0] & 0xff, length, maxLength));
                bodyRemaining = length;
            }
        } else {
            bodyRemaining -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        int read = read(sink, 0, sink.length);
        return Math.max(read, 0);
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), bodyRemaining == 0 ? HEADER_LENGTH - headerFill : bodyRemaining);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
