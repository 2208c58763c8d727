package org.seggateway.gateway.queue;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import javax.sql.DataSource;
import org.seggateway.inference.queue.ResultSignature;

/**
 * Each job's result key: HMAC-SHA256 of the job id under the gateway's secret (table {@code gateway_secrets}, made
 * by the first gateway that needs it, shared by all gateways on the database). Derived rather than stored per job, so
 * that a job published again keeps its key, and checking a result needs no database read. Never logged.
 */
@ApplicationScoped
public class ResultKeys {
    static final String SECRET_NAME = "result-signing";
    private static final int SECRET_BYTES = 32;

    private final DataSource dataSource;
    private volatile byte[] secret;

    ResultKeys(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The key a job's answer is signed with. */
    public byte[] jobKey(String jobId) throws SQLException {
        return ResultSignature.mac(secret(), ("seg-result-key:" + jobId).getBytes(StandardCharsets.UTF_8));
    }

    /** The key as it travels in the job header. */
    public String jobKeyBase64(String jobId) throws SQLException {
        return Base64.getEncoder().encodeToString(jobKey(jobId));
    }

    private byte[] secret() throws SQLException {
        byte[] s = secret;
        if (s == null) {
            synchronized (this) {
                if (secret == null) secret = loadOrCreate();
                s = secret;
            }
        }
        return s;
    }

    private byte[] loadOrCreate() throws SQLException {
        byte[] fresh = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(fresh);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "insert into gateway_secrets (name, secret) values (?, ?) on conflict (name) do nothing")) {
                s.setString(1, SECRET_NAME);
                s.setBytes(2, fresh);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("select secret from gateway_secrets where name = ?")) {
                s.setString(1, SECRET_NAME);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) throw new SQLException("gateway secret '" + SECRET_NAME + "' missing right after its insert");
                    return rs.getBytes(1);
                }
            }
        }
    }
}
