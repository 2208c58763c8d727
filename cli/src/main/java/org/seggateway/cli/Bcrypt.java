package org.seggateway.cli;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.spec.EncryptablePasswordSpec;
import org.wildfly.security.password.spec.IteratedSaltedPasswordAlgorithmSpec;
import org.wildfly.security.password.util.ModularCrypt;

/** bcrypt password hashes as the gateway's {@code seg-gateway.users.NAME.password-hash} takes them. */
public final class Bcrypt {
    /** The lowest cost the gateway accepts. */
    public static final int MIN_COST = 10;

    private Bcrypt() {}

    /** {@code $2a$COST$...} of the password with a fresh random salt. */
    public static String hash(char[] password, int cost) {
        if (cost < MIN_COST || cost > 31) throw new IllegalArgumentException("the bcrypt cost must be " + MIN_COST + " to 31, not " + cost);
        byte[] salt = new byte[BCryptPassword.BCRYPT_SALT_SIZE];
        new SecureRandom().nextBytes(salt);
        try {
            return ModularCrypt.encodeAsString(factory().generatePassword(
                    new EncryptablePasswordSpec(password, new IteratedSaltedPasswordAlgorithmSpec(cost, salt))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bcrypt is not available: " + e.getMessage(), e);
        }
    }

    /** Whether the password is the one a {@code $2a$} hash was made of. */
    public static boolean matches(char[] password, String hash) {
        try {
            PasswordFactory factory = factory();
            return factory.verify(factory.translate(ModularCrypt.decode(hash)), password);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a bcrypt hash: " + e.getMessage(), e);
        }
    }

    private static PasswordFactory factory() throws GeneralSecurityException {
        return PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, WildFlyElytronPasswordProvider.getInstance());
    }
}
