package org.seggateway.dicomio.codec;

/** A frame could not be decoded (corrupt stream, a size that does not match its header, a codec not installed). */
public class CodecException extends Exception {
    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
