package org.seggateway.dicomio.codec;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The encapsulated (compressed) transfer syntaxes dicom-io decodes, frame by frame, and the decoder of each. A decoder
 * that needs a native library says what to install when the library is missing ({@link #unavailableReason()}).
 */
public enum CompressedSyntax {
    JPEG_BASELINE("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", () -> new ImageIoJpegDecoder("jpeg")),
    JPEG_EXTENDED("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4), 8-bit", () -> new ImageIoJpegDecoder("jpeg")),
    JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", "JPEG Lossless (Process 14)", () -> new ImageIoJpegDecoder("jpeg-lossless")),
    JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", "JPEG Lossless SV1 (Process 14, Selection Value 1)",
            () -> new ImageIoJpegDecoder("jpeg-lossless")),
    JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", CharLsDecoder::new),
    JPEG_LS_NEAR_LOSSLESS("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless", CharLsDecoder::new),
    JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", OpenJpegDecoder::new),
    JPEG_2000("1.2.840.10008.1.2.4.91", "JPEG 2000", OpenJpegDecoder::new),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", "RLE Lossless", RleDecoder::new);

    private final String uid;
    private final String title;
    private final Supplier<FrameDecoder> decoders;

    CompressedSyntax(String uid, String title, Supplier<FrameDecoder> decoders) {
        this.uid = uid;
        this.title = title;
        this.decoders = decoders;
    }

    public String uid() {
        return uid;
    }

    public String title() {
        return title;
    }

    /** A new decoder for this syntax (one per reading thread). */
    public FrameDecoder decoder() {
        return decoders.get();
    }

    public static Optional<CompressedSyntax> ofUid(String uid) {
        return Arrays.stream(values()).filter(s -> s.uid.equals(uid)).findFirst();
    }

    /** Null when this syntax can be decoded here; otherwise why not and what to install. */
    public String unavailableReason() {
        String missing = switch (this) {
            case JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS -> CharLsDecoder.unavailableReason();
            case JPEG_2000_LOSSLESS, JPEG_2000 -> OpenJpegDecoder.unavailableReason();
            case JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS, JPEG_LOSSLESS_SV1 -> ((ImageIoJpegDecoder) decoder()).available()
                    ? null : "no ImageIO reader on the class path (the JDK's for baseline, pixelmed-imageio's for lossless)";
            case RLE_LOSSLESS -> null;
        };
        return missing == null ? null : title + " (" + uid + ") cannot be decoded here: " + missing;
    }
}
