package org.seggateway.cli;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A user of the gateway's API in its local access-control mode (docs/operator-guide.md, Access control): the password hash the
 * gateway's configuration holds, and the HTTP Basic header a client sends.
 */
record ApiUser(String name, String password) {
    static ApiUser random(String name) {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        return new ApiUser(name, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** A bcrypt hash of the lowest cost the gateway accepts, for {@code seg-gateway.users.NAME.password-hash}. */
    String passwordHash() {
        return Bcrypt.hash(password.toCharArray(), Bcrypt.MIN_COST);
    }

    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
