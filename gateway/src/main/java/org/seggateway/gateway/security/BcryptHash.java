package org.seggateway.gateway.security;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.spec.EncryptablePasswordSpec;
import org.wildfly.security.password.spec.IteratedSaltedPasswordAlgorithmSpec;
import org.wildfly.security.password.util.ModularCrypt;

/**
 * A user's password hash in bcrypt's modular crypt form ({@code $2a$}, {@code $2b$} or {@code $2y$}, a cost of at
 * least {@value #MIN_COST}, a 22-character salt and the 31-character hash), checked with WildFly Elytron's bcrypt.
 */
public final class BcryptHash {
    public static final int MIN_COST = 10;
    private static final Pattern FORM = Pattern.compile("\\$2([aby])\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final Pattern SHA_256_DIGEST = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String HOW_TO_HASH = "make a bcrypt hash with `bin/seg-gateway hash-password` (reads the password"
            + " from stdin or $SEG_GATEWAY_PASSWORD) and set it as seg-gateway.users.NAME.password-hash";

    private final BCryptPassword password;

    private BcryptHash(BCryptPassword password) {
        this.password = password;
    }

    /**
     * The hash configured under {@code key}, or an {@link IllegalArgumentException} saying what is wrong with it and
     * how to make a good one. An unsalted SHA-256 digest (the form of {@code quarkus.security.users.embedded}) is
     * refused rather than accepted with a warning: it cannot be turned into a bcrypt hash without the password, and a
     * gateway that still accepted it would keep the weak hash in use indefinitely.
     */
    public static BcryptHash parse(String key, String text) {
        String hash = text == null ? "" : text.strip();
        if (hash.isEmpty()) throw new IllegalArgumentException(key + " is empty: " + HOW_TO_HASH);
        if (SHA_256_DIGEST.matcher(hash).matches())
            throw new IllegalArgumentException(key + " holds an unsalted SHA-256 digest, which is no longer accepted: "
                    + HOW_TO_HASH);
        Matcher m = FORM.matcher(hash);
        if (!m.matches())
            throw new IllegalArgumentException(key + " is not a bcrypt hash ($2a$, $2b$ or $2y$, cost, 53 characters of salt"
                    + " and hash): " + HOW_TO_HASH);
        int cost = Integer.parseInt(m.group(2));
        if (cost < MIN_COST || cost > 31)
            throw new IllegalArgumentException(key + " has bcrypt cost " + cost + "; it must be " + MIN_COST + " to 31: " + HOW_TO_HASH);
        // $2b$ and $2y$ name fixes of bugs in other implementations (length wrap-around, 8-bit characters), not
        // another algorithm: for a hash made correctly they compute the same as $2a$, the only prefix Elytron reads.
        String elytronForm = "$2a$" + hash.substring(4);
        try {
            Password decoded = ModularCrypt.decode(elytronForm);
            return new BcryptHash((BCryptPassword) factory().translate(decoded));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException(key + " is not a readable bcrypt hash (" + e.getMessage() + "): " + HOW_TO_HASH);
        }
    }

    /** A fresh hash of a password with a random salt; used for the stand-in check of an unknown user. */
    public static BcryptHash of(char[] password, int cost) {
        byte[] salt = new byte[BCryptPassword.BCRYPT_SALT_SIZE];
        new SecureRandom().nextBytes(salt);
        try {
            return new BcryptHash((BCryptPassword) factory().generatePassword(
                    new EncryptablePasswordSpec(password, new IteratedSaltedPasswordAlgorithmSpec(cost, salt))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bcrypt is not available: " + e.getMessage(), e);
        }
    }

    public int cost() {
        return password.getIterationCount();
    }

    /** Whether the password is the one hashed: one bcrypt computation of this hash's cost. */
    public boolean matches(char[] candidate) {
        try {
            return factory().verify(password, candidate);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The modular crypt form ({@code $2a$...}). */
    @Override
    public String toString() {
        try {
            return ModularCrypt.encodeAsString(password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PasswordFactory factory() throws GeneralSecurityException {
        return PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, WildFlyElytronPasswordProvider.getInstance());
    }
}
