package org.seggateway.gateway.queue;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.seggateway.gateway.database.Transactions;
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

    private final Transactions transactions;
    private volatile byte[] secret;

    ResultKeys(Transactions transactions) {
        this.transactions = transactions;
    }

    /** The key a job's answer is signed with. */
    public byte[] jobKey(String jobId) {
        return ResultSignature.mac(secret(), ("seg-result-key:" + jobId).getBytes(StandardCharsets.UTF_8));
    }

    /** The key as it travels in the job header. */
    public String jobKeyBase64(String jobId) {
        return Base64.getEncoder().encodeToString(jobKey(jobId));
    }

    private byte[] secret() {
        byte[] s = secret;
        if (s == null) {
            synchronized (this) {
                if (secret == null) secret = loadOrCreate();
                s = secret;
            }
        }
        return s;
    }

    private byte[] loadOrCreate() {
        byte[] fresh = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(fresh);
        return transactions.withHandle(h -> {
            h.createUpdate("insert into gateway_secrets (name, secret) values (:name, :secret) on conflict (name) do nothing")
                    .bind("name", SECRET_NAME).bind("secret", fresh).execute();
            return h.createQuery("select secret from gateway_secrets where name = :name").bind("name", SECRET_NAME)
                    .mapTo(byte[].class).findOne()
                    .orElseThrow(() -> new IllegalStateException("gateway secret '" + SECRET_NAME + "' missing right after its insert"));
        });
    }
}
