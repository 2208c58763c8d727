package org.seggateway.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A user of the gateway's API in its local access-control mode (README: Access control): the password hash the
 * gateway's configuration holds, and the HTTP Basic header a client sends.
 */
record ApiUser(String name, String password) {
    /** The realm name the gateway's configuration sets ({@code quarkus.security.users.embedded.realm-name}). */
    static final String REALM = "seg-gateway";

    static ApiUser random(String name) {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        return new ApiUser(name, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** HEX(SHA-256(name:realm:password)), the form {@code quarkus.security.users.embedded.users.NAME} takes. */
    String passwordHash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((name + ":" + REALM + ":" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
