package org.seggateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The hash chain over {@code audit_events}: each row's {@code hash} is SHA-256 (hex) of the previous row's hash
 * followed by the row's canonical content, a JSON array of occurred_at (ISO-8601 UTC, microseconds), event type,
 * actor, address, study UID, outcome and details (object keys sorted, no white space). The first row follows
 * {@link #GENESIS}. Changing, inserting or removing any row breaks every later link (removing the newest rows
 * leaves no trace in the chain itself). A plain class on JDBC, so that {@code bin/seg-gateway audit verify} checks a
 * database without the gateway.
 */
public final class AuditChain {
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditChain() {}

    /** The hash of a row given its predecessor's hash; {@code detailsJson} in any key order. */
    public static String hash(String previousHash, Instant occurredAt, String type, String actor, String address,
                              String studyInstanceUid, String outcome, String detailsJson) {
        ArrayNode row = JsonNodeFactory.instance.arrayNode();
        row.add(occurredAt.toString()).add(type).add(actor).add(address).add(studyInstanceUid).add(outcome)
                .add(sorted(parse(detailsJson)));
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            sha256.update(JSON.writeValueAsString(row).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code details} as canonical JSON text (keys sorted, no white space). */
    public static String canonicalJson(Map<String, ?> details) {
        try {
            return JSON.writeValueAsString(sorted(JSON.valueToTree(details)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("audit details are not JSON-able: " + e.getMessage(), e);
        }
    }

    /** Checks the whole chain in id order; returns the id of the first row whose link or hash is wrong. */
    public static Optional<Long> firstBrokenRow(Connection c) throws SQLException {
        return verify(c).firstBroken().map(ChainVerification.BrokenLink::rowId);
    }

    /**
     * Checks the whole chain in id order and stops at the first broken link. The rows are streamed (PostgreSQL needs a
     * transaction for that: one is opened and rolled back when {@code c} is in auto-commit, else the caller's is used).
     */
    public static ChainVerification verify(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery("""
                    select id, occurred_at, event_type, actor, source_address, study_instance_uid, outcome,
                           details::text, previous_hash, hash
                    from audit_events order by id""")) {
                String previous = GENESIS;
                long rows = 0;
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (!rs.getString(9).equals(previous))
                        return ChainVerification.broken(rows, id, "previous_hash", previous, rs.getString(9));
                    String expected = hash(previous, rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
                    if (!rs.getString(10).equals(expected))
                        return ChainVerification.broken(rows, id, "hash", expected, rs.getString(10));
                    previous = expected;
                    rows++;
                }
                return ChainVerification.intact(rows);
            }
        } finally {
            if (autoCommit) {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(n -> items.add(sorted(n)));
            return JsonNodeFactory.instance.arrayNode().addAll(items);
        }
        return node;
    }
}
