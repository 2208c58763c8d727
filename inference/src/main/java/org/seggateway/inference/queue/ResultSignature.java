package org.seggateway.inference.queue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates a worker's answer to the gateway: HMAC-SHA256, keyed with the job's secret from its
 * {@link JobHeader#resultKey()}, over every field of the {@link ResultHeader} but the signature, including the
 * SHA-256 of the label bytes (as decoded) and their encoding. Only a party that read the job from {@code seg.jobs} can answer it, so a record
 * written to {@code seg.results} by anyone else, or a label map altered on the way, is told apart.
 */
public final class ResultSignature {
    private static final String MAC = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private ResultSignature() {
    }

    /** The header signed with a job's key (base64, as in {@link JobHeader#resultKey()}). */
    public static ResultHeader sign(ResultHeader header, String resultKey) {
        return header.withSignature(HEX.formatHex(mac(Base64.getDecoder().decode(resultKey), canonical(header))));
    }

    /** Whether the header carries the signature of {@code key} over its fields (compared in constant time). */
    public static boolean verify(ResultHeader header, byte[] key) {
        if (header.signature() == null) return false;
        byte[] claimed;
        try {
            claimed = HEX.parseHex(header.signature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(claimed, mac(key, canonical(header)));
    }

    /** Hex SHA-256 of label bytes, as {@link ResultHeader#labelsSha256()} states them. */
    public static String labelsSha256(byte[] labels) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(labels));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** HMAC-SHA256 of {@code data}; the gateway also derives each job's key with it. */
    public static byte[] mac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(new SecretKeySpec(key, MAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(MAC + " unavailable", e);
        }
    }

    /** The signed bytes: each field length-prefixed, so that no two headers share them. */
    static byte[] canonical(ResultHeader h) {
        StringBuilder s = new StringBuilder("seg-result-v1;");
        field(s, h.jobId());
        field(s, Boolean.toString(h.failed()));
        field(s, h.error());
        field(s, Integer.toString(h.attempts()));
        field(s, h.worker());
        field(s, Long.toString(h.byteCount()));
        field(s, Integer.toString(h.chunkCount()));
        Map<String, Double> stages = h.stageSeconds() == null ? Map.of() : new TreeMap<>(h.stageSeconds());
        field(s, Integer.toString(stages.size()));
        stages.forEach((stage, seconds) -> {
            field(s, stage);
            field(s, seconds == null ? null : Double.toString(seconds));
        });
        field(s, h.labelsSha256());
        // only when not raw: the signed bytes of a raw answer stay those of workers before the field
        if (h.encoding() != LabelEncoding.RAW) field(s, "encoding=" + h.encoding().wireName());
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder s, String value) {
        if (value == null) s.append("-;");
        else s.append(value.length()).append(':').append(value).append(';');
    }
}
