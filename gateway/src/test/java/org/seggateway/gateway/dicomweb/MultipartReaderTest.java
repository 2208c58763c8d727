package org.seggateway.gateway.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
    private static final String B = "b0und4ry";

    @Test
    void readsEachPartWithItsHeadersAndExactBytesAcrossBufferEdgesAndTrickleReads() throws IOException {
        Random random = new Random(7);
        byte[] first = new byte[200_000];
        random.nextBytes(first);
        byte[] second = ("almost a delimiter: \r\n--b0und4r and \r\n-- and --" + B + " without CR LF").getBytes(StandardCharsets.ISO_8859_1);
        byte[] third = new byte[0];
        byte[] body = body("preamble text\r\n", List.of(first, second, third), "\r\n--" + B + "--\r\nepilogue");

        MultipartReader reader = new MultipartReader(trickle(body, 997), B);
        List<byte[]> read = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (MultipartReader.Part p; (p = reader.next()) != null; ) {
            types.add(p.header("Content-Type"));
            read.add(p.body().readAllBytes());
        }
        assertThat(read).hasSize(3);
        assertThat(read.get(0)).isEqualTo(first);
        assertThat(read.get(1)).isEqualTo(second);
        assertThat(read.get(2)).isEmpty();
        assertThat(types).containsOnly("application/dicom");
        assertThat(reader.endedEarly()).isFalse();
    }

    @Test
    void aPartLeftUnreadIsSkippedByNext() throws IOException {
        byte[] body = body("", List.of(new byte[100_000], "second".getBytes()), "\r\n--" + B + "--");
        MultipartReader reader = new MultipartReader(new java.io.ByteArrayInputStream(body), B);
        MultipartReader.Part p1 = reader.next();
        assertThat(p1.body().read()).isZero();
        MultipartReader.Part p2 = reader.next();
        assertThat(p2.number()).isEqualTo(2);
        assertThat(new String(p2.body().readAllBytes())).isEqualTo("second");
        assertThat(reader.next()).isNull();
    }

    @Test
    void aBodyWithoutTheBoundaryIsMalformed() {
        byte[] body = "--otherboundary\r\nContent-Type: application/dicom\r\n\r\nxx\r\n--otherboundary--".getBytes();
        assertThatThrownBy(() -> new MultipartReader(new java.io.ByteArrayInputStream(body), B).next())
                .isInstanceOf(MalformedMultipartException.class).hasMessageContaining("no multipart delimiter");
    }

    @Test
    void aLongPreambleWithoutDelimiterIsMalformedWithoutReadingItAll() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        assertThatThrownBy(() -> new MultipartReader(endless, B).next())
                .isInstanceOf(MalformedMultipartException.class).hasMessageContaining("in the first");
    }

    @Test
    void garbageAfterADelimiterIsMalformed() {
        byte[] body = ("--" + B + "garbage\r\n\r\nxx\r\n--" + B + "--").getBytes();
        assertThatThrownBy(() -> new MultipartReader(new java.io.ByteArrayInputStream(body), B).next())
                .isInstanceOf(MalformedMultipartException.class);
    }

    @Test
    void aBodyCutInsideAPartFailsThatPartAfterTheWholeOnesBefore() throws IOException {
        byte[] whole = "whole part".getBytes();
        byte[] body = body("", List.of(whole), "");
        byte[] cut = concat(body, ("\r\n--" + B + "\r\nContent-Type: application/dicom\r\n\r\nonly the first half").getBytes());

        MultipartReader reader = new MultipartReader(new java.io.ByteArrayInputStream(cut), B);
        assertThat(reader.next().body().readAllBytes()).isEqualTo(whole);
        MultipartReader.Part second = reader.next();
        assertThatThrownBy(() -> second.body().readAllBytes()).isInstanceOf(TruncatedPartException.class)
                .hasMessageContaining("part 2");
        assertThat(reader.next()).isNull();
        assertThat(reader.endedEarly()).isTrue();
    }

    @Test
    void aHeaderBlockWithoutNameIsMalformed() {
        byte[] body = ("--" + B + "\r\nno colon here\r\n\r\nxx\r\n--" + B + "--").getBytes();
        assertThatThrownBy(() -> new MultipartReader(new java.io.ByteArrayInputStream(body), B).next())
                .isInstanceOf(MalformedMultipartException.class).hasMessageContaining("header line");
    }

    static byte[] body(String preamble, List<byte[]> parts, String end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.ISO_8859_1));
        boolean firstPart = true;
        for (byte[] p : parts) {
            out.writeBytes(((firstPart ? "" : "\r\n") + "--" + B + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes());
            out.writeBytes(p);
            firstPart = false;
        }
        out.writeBytes(end.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Hands out at most {@code chunk} bytes per read, as a network stream does. */
    private static InputStream trickle(byte[] data, int chunk) {
        return new FilterInputStream(new java.io.ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }
}
