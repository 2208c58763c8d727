package org.seggateway.dicomio.codec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * JPEG 2000, reversible and irreversible (1.2.840.10008.1.2.4.90, .91), by OpenJPEG 2 ({@code libopenjp2.so.7}, Debian
 * libopenjp2-7, the reference implementation behind {@code opj_decompress}) through {@code java.lang.foreign}. The
 * compressed frame is handed over in memory through OpenJPEG's stream callbacks; the decoded component (32-bit
 * samples) is narrowed to the 16- or 8-bit stored value.
 */
public final class OpenJpegDecoder implements FrameDecoder {
    private static final int CODEC_J2K = 0, CODEC_JP2 = 2;
    /** Generous upper bound of sizeof(opj_dparameters_t) (about 8.3 KB in OpenJPEG 2.5). */
    private static final long PARAMETERS_BYTES = 32 * 1024;
    // opj_image_t: x0 y0 x1 y1 numcomps color_space (6 x 4 bytes), comps pointer at 24
    private static final long IMAGE_NUMCOMPS = 16, IMAGE_COMPS = 24;
    // opj_image_comp_t: dx dy w h x0 y0 prec bpp sgnd resno_decoded factor (11 x 4 bytes), data pointer at 48, 64 bytes
    private static final long COMP_W = 8, COMP_H = 12, COMP_PREC = 24, COMP_DATA = 48, COMP_BYTES = 64;
    // the stream's user data: the frame's address, its length, the read position
    private static final long SOURCE_BYTES = 24;

    private static final class Api {
        static final NativeLibrary LIB = NativeLibrary.load(List.of("libopenjp2.so.7"), "libopenjp2-7");
        static final MethodHandle CREATE_DECOMPRESS = LIB.function("opj_create_decompress", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final MethodHandle DEFAULT_PARAMETERS = LIB.function("opj_set_default_decoder_parameters", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle SETUP_DECODER = LIB.function("opj_setup_decoder", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle STRICT_MODE = LIB.function("opj_decoder_set_strict_mode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle SET_ERROR_HANDLER = LIB.function("opj_set_error_handler",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle STREAM_CREATE = LIB.function("opj_stream_create", FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_INT));
        static final MethodHandle STREAM_READ = LIB.function("opj_stream_set_read_function", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        static final MethodHandle STREAM_SKIP = LIB.function("opj_stream_set_skip_function", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        static final MethodHandle STREAM_SEEK = LIB.function("opj_stream_set_seek_function", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        static final MethodHandle STREAM_USER_DATA = LIB.function("opj_stream_set_user_data",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle STREAM_USER_DATA_LENGTH = LIB.function("opj_stream_set_user_data_length",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
        static final MethodHandle READ_HEADER = LIB.function("opj_read_header", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle DECODE = LIB.function("opj_decode", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle END_DECOMPRESS = LIB.function("opj_end_decompress", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle IMAGE_DESTROY = LIB.function("opj_image_destroy", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle STREAM_DESTROY = LIB.function("opj_stream_destroy", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle DESTROY_CODEC = LIB.function("opj_destroy_codec", FunctionDescriptor.ofVoid(ADDRESS));

        static final MemorySegment READ_CALLBACK = upcall("read", MethodType.methodType(long.class, MemorySegment.class, long.class,
                MemorySegment.class), FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        static final MemorySegment SKIP_CALLBACK = upcall("skip", MethodType.methodType(long.class, long.class, MemorySegment.class),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS));
        static final MemorySegment SEEK_CALLBACK = upcall("seek", MethodType.methodType(int.class, long.class, MemorySegment.class),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
        static final MemorySegment ERROR_CALLBACK = upcall("error", MethodType.methodType(void.class, MemorySegment.class,
                MemorySegment.class), FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));

        private static MemorySegment upcall(String name, MethodType type, FunctionDescriptor descriptor) {
            try {
                MethodHandle target = MethodHandles.lookup().findStatic(OpenJpegDecoder.class, name, type);
                return NativeLibrary.LINKER.upcallStub(target, descriptor, Arena.global());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The last error OpenJPEG reported on this thread (its error callback has no other way back). */
    private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();

    // a lambda, not Api.LIB::name, so that the library is loaded inside the check
    private static final String UNAVAILABLE = NativeLibrary.unavailableReason(() -> Api.LIB.name());

    /** Null when the library loads; otherwise why not, with the Debian package to install. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    @Override
    public void decode(byte[] frame, FrameSpec spec, short[] voxels, int offset) throws CodecException {
        if (UNAVAILABLE != null) throw new CodecException("OpenJPEG: " + UNAVAILABLE);
        LAST_ERROR.remove();
        MemorySegment codec = MemorySegment.NULL, stream = MemorySegment.NULL, image = MemorySegment.NULL;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(frame.length);
            MemorySegment.copy(frame, 0, data, JAVA_BYTE, 0, frame.length);
            MemorySegment source = arena.allocate(SOURCE_BYTES, 8);
            source.set(ADDRESS, 0, data);
            source.set(JAVA_LONG, 8, frame.length);
            source.set(JAVA_LONG, 16, 0);

            codec = (MemorySegment) Api.CREATE_DECOMPRESS.invokeExact(isJp2(frame) ? CODEC_JP2 : CODEC_J2K);
            if (codec.equals(MemorySegment.NULL)) throw new CodecException("OpenJPEG: cannot create a decoder");
            int ignored = (int) Api.SET_ERROR_HANDLER.invokeExact(codec, Api.ERROR_CALLBACK, MemorySegment.NULL);
            MemorySegment parameters = arena.allocate(PARAMETERS_BYTES, 8);
            Api.DEFAULT_PARAMETERS.invokeExact(parameters);
            if ((int) Api.SETUP_DECODER.invokeExact(codec, parameters) == 0) throw failure("cannot set up the decoder");
            // a truncated stream is an error, not a partly decoded image
            if ((int) Api.STRICT_MODE.invokeExact(codec, 1) == 0) throw failure("cannot set strict mode");

            stream = (MemorySegment) Api.STREAM_CREATE.invokeExact((long) Math.min(frame.length, 1 << 20) + 1, 1);
            if (stream.equals(MemorySegment.NULL)) throw new CodecException("OpenJPEG: cannot create a stream");
            Api.STREAM_READ.invokeExact(stream, Api.READ_CALLBACK);
            Api.STREAM_SKIP.invokeExact(stream, Api.SKIP_CALLBACK);
            Api.STREAM_SEEK.invokeExact(stream, Api.SEEK_CALLBACK);
            Api.STREAM_USER_DATA.invokeExact(stream, source, MemorySegment.NULL);
            Api.STREAM_USER_DATA_LENGTH.invokeExact(stream, (long) frame.length);

            MemorySegment imageOut = arena.allocate(ADDRESS);
            if ((int) Api.READ_HEADER.invokeExact(stream, codec, imageOut) == 0) throw failure("cannot read the header");
            image = imageOut.get(ADDRESS, 0).reinterpret(IMAGE_COMPS + 8);
            if ((int) Api.DECODE.invokeExact(codec, stream, image) == 0) throw failure("cannot decode");
            if ((int) Api.END_DECOMPRESS.invokeExact(codec, stream) == 0) throw failure("cannot finish decoding");

            int components = image.get(JAVA_INT, IMAGE_NUMCOMPS);
            MemorySegment comp = image.get(ADDRESS, IMAGE_COMPS).reinterpret(COMP_BYTES * Math.max(components, 1));
            FrameDecoder.checkSize("JPEG 2000", spec, Integer.toUnsignedLong(comp.get(JAVA_INT, COMP_W)),
                    Integer.toUnsignedLong(comp.get(JAVA_INT, COMP_H)), components);
            int precision = comp.get(JAVA_INT, COMP_PREC);
            if (precision > spec.bitsAllocated())
                throw new CodecException("JPEG 2000 stream of " + precision + "-bit samples in " + spec.bitsAllocated() + "-bit pixels");
            int pixels = spec.pixels();
            MemorySegment samples = comp.get(ADDRESS, COMP_DATA);
            if (samples.equals(MemorySegment.NULL)) throw new CodecException("JPEG 2000: no decoded samples");
            samples = samples.reinterpret(4L * pixels);
            for (int p = 0; p < pixels; p++) voxels[offset + p] = (short) samples.getAtIndex(JAVA_INT, p);
        } catch (CodecException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CodecException("OpenJPEG: " + t, t);
        } finally {
            destroy(image, stream, codec);
        }
    }

    private static void destroy(MemorySegment image, MemorySegment stream, MemorySegment codec) {
        try {
            if (!image.equals(MemorySegment.NULL)) Api.IMAGE_DESTROY.invokeExact(image);
            if (!stream.equals(MemorySegment.NULL)) Api.STREAM_DESTROY.invokeExact(stream);
            if (!codec.equals(MemorySegment.NULL)) Api.DESTROY_CODEC.invokeExact(codec);
        } catch (Throwable t) {
            throw new IllegalStateException("OpenJPEG: cannot free a decoder", t);
        }
    }

    private static CodecException failure(String what) {
        String detail = LAST_ERROR.get();
        return new CodecException("JPEG 2000 (OpenJPEG): " + what + (detail == null ? "" : ": " + detail.strip()));
    }

    /** A JP2 file (signature box) rather than a bare codestream, which DICOM asks for but some writers do not follow. */
    private static boolean isJp2(byte[] frame) {
        return frame.length >= 12 && frame[4] == 'j' && frame[5] == 'P' && frame[6] == ' ' && frame[7] == ' ';
    }

    // OpenJPEG stream callbacks on the in-memory frame described by the user data (address, length, position)

    private static long read(MemorySegment buffer, long count, MemorySegment userData) {
        MemorySegment source = userData.reinterpret(SOURCE_BYTES);
        long length = source.get(JAVA_LONG, 8), position = source.get(JAVA_LONG, 16);
        long n = Math.min(count, length - position);
        if (n <= 0) return -1;
        MemorySegment data = source.get(ADDRESS, 0).reinterpret(length);
        MemorySegment.copy(data, position, buffer.reinterpret(n), 0, n);
        source.set(JAVA_LONG, 16, position + n);
        return n;
    }

    private static long skip(long count, MemorySegment userData) {
        MemorySegment source = userData.reinterpret(SOURCE_BYTES);
        long length = source.get(JAVA_LONG, 8), position = source.get(JAVA_LONG, 16);
        long target = Math.max(0, Math.min(length, position + count));
        source.set(JAVA_LONG, 16, target);
        return target - position;
    }

    private static int seek(long to, MemorySegment userData) {
        MemorySegment source = userData.reinterpret(SOURCE_BYTES);
        if (to < 0 || to > source.get(JAVA_LONG, 8)) return 0;
        source.set(JAVA_LONG, 16, to);
        return 1;
    }

    private static void error(MemorySegment message, MemorySegment client) {
        LAST_ERROR.set(message.reinterpret(4096).getString(0));
    }
}
