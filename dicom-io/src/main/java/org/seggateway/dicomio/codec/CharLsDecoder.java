package org.seggateway.dicomio.codec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * JPEG-LS, lossless and near-lossless (1.2.840.10008.1.2.4.80, .81), by CharLS 2 ({@code libcharls.so.2}, Debian
 * libcharls2, the library DCMTK's and GDCM's JPEG-LS support also build on) through {@code java.lang.foreign}.
 */
public final class CharLsDecoder implements FrameDecoder {

    private static final class Api {
        static final NativeLibrary LIB = NativeLibrary.load(List.of("libcharls.so.2"), "libcharls2");
        static final MethodHandle CREATE = LIB.function("charls_jpegls_decoder_create", FunctionDescriptor.of(ADDRESS));
        static final MethodHandle DESTROY = LIB.function("charls_jpegls_decoder_destroy", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle SET_SOURCE = LIB.function("charls_jpegls_decoder_set_source_buffer",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        static final MethodHandle READ_HEADER = LIB.function("charls_jpegls_decoder_read_header",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FRAME_INFO = LIB.function("charls_jpegls_decoder_get_frame_info",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle DECODE = LIB.function("charls_jpegls_decoder_decode_to_buffer",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
        static final MethodHandle ERROR_MESSAGE = LIB.function("charls_get_error_message",
                FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    // a lambda, not Api.LIB::name, so that the library is loaded inside the check
    private static final String UNAVAILABLE = NativeLibrary.unavailableReason(() -> Api.LIB.name());

    /** Null when the library loads; otherwise why not, with the Debian package to install. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    @Override
    public void decode(byte[] frame, FrameSpec spec, short[] voxels, int offset) throws CodecException {
        if (UNAVAILABLE != null) throw new CodecException("CharLS: " + UNAVAILABLE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocate(frame.length);
            MemorySegment.copy(frame, 0, source, JAVA_BYTE, 0, frame.length);
            MemorySegment decoder = (MemorySegment) Api.CREATE.invokeExact();
            if (decoder.equals(MemorySegment.NULL)) throw new CodecException("CharLS: cannot create a decoder");
            try {
                check((int) Api.SET_SOURCE.invokeExact(decoder, source, (long) frame.length));
                check((int) Api.READ_HEADER.invokeExact(decoder));
                MemorySegment info = arena.allocate(16, 4);
                check((int) Api.FRAME_INFO.invokeExact(decoder, info));
                FrameDecoder.checkSize("JPEG-LS", spec, Integer.toUnsignedLong(info.get(JAVA_INT, 0)),
                        Integer.toUnsignedLong(info.get(JAVA_INT, 4)), info.get(JAVA_INT, 12));
                int bits = info.get(JAVA_INT, 8);
                int bytesPerSample = bits > 8 ? 2 : 1;
                if (bytesPerSample * 8 > spec.bitsAllocated())
                    throw new CodecException("JPEG-LS stream of " + bits + "-bit samples in " + spec.bitsAllocated()
                            + "-bit pixels");
                int pixels = spec.pixels();
                MemorySegment target = arena.allocate((long) pixels * bytesPerSample, 2);
                check((int) Api.DECODE.invokeExact(decoder, target, target.byteSize(), 0));
                if (bytesPerSample == 2) {
                    MemorySegment.copy(target, JAVA_SHORT_UNALIGNED, 0, voxels, offset, pixels);
                } else {
                    for (int p = 0; p < pixels; p++) voxels[offset + p] = (short) (target.get(JAVA_BYTE, p) & 0xFF);
                }
            } finally {
                Api.DESTROY.invokeExact(decoder);
            }
        } catch (CodecException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CodecException("CharLS: " + t, t);
        }
    }

    private static void check(int error) throws Throwable {
        if (error == 0) return;
        MemorySegment message = (MemorySegment) Api.ERROR_MESSAGE.invokeExact(error);
        String text = message.equals(MemorySegment.NULL) ? "" : message.reinterpret(1024).getString(0);
        throw new CodecException("JPEG-LS (CharLS error " + error + "): " + text);
    }
}
