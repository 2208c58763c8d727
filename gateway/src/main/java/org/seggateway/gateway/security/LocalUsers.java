package org.seggateway.gateway.security;

import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.ConfigProvider;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * The API's local users ({@code seg-gateway.users.NAME.password-hash} and {@code .roles}), checked at start: every hash
 * a bcrypt hash of cost at least {@value BcryptHash#MIN_COST}, every role a known one, and none of the former
 * {@code quarkus.security.users.embedded.users.NAME} settings left (their unsalted SHA-256 digests are refused).
 */
@Startup
@Singleton
public class LocalUsers {
    static final String FORMER_PREFIX = "quarkus.security.users.embedded.users.";
    private static final Set<String> ROLES = Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.AUDITOR, Roles.ADMIN);

    record User(BcryptHash hash, Set<String> roles) {}

    private final Map<String, User> users;
    /** Checked in place of a user that does not exist, so that such a name costs as long as a wrong password. */
    private final BcryptHash standIn;

    @Inject
    LocalUsers(GatewayConfig config) {
        this(config.users(), StreamSupport.stream(ConfigProvider.getConfig().getPropertyNames().spliterator(), false).toList());
    }

    LocalUsers(Map<String, GatewayConfig.LocalUser> configured, Iterable<String> propertyNames) {
        for (String name : propertyNames)
            if (name.startsWith(FORMER_PREFIX))
                throw new IllegalStateException(name + " is no longer read: local API users are now seg-gateway.users."
                        + name.substring(FORMER_PREFIX.length()) + ".password-hash (bcrypt) and .roles, and the unsalted"
                        + " SHA-256 digests of quarkus.security.users.embedded are refused. Make a bcrypt hash with"
                        + " `bin/seg-gateway hash-password` (reads the password from stdin or $SEG_GATEWAY_PASSWORD), set it"
                        + " there, and remove the quarkus.security.users.embedded.users and .roles settings");
        Map<String, User> users = new LinkedHashMap<>();
        int cost = BcryptHash.MIN_COST;
        for (Map.Entry<String, GatewayConfig.LocalUser> e : configured.entrySet()) {
            String key = "seg-gateway.users." + e.getKey();
            BcryptHash hash;
            try {
                hash = BcryptHash.parse(key + ".password-hash", e.getValue().passwordHash());
            } catch (IllegalArgumentException bad) {
                throw new IllegalStateException(bad.getMessage());
            }
            List<String> roles = e.getValue().roles().stream().map(String::strip).filter(r -> !r.isEmpty()).toList();
            for (String role : roles)
                if (!ROLES.contains(role))
                    throw new IllegalStateException(key + ".roles names an unknown role '" + role + "'; roles are viewer,"
                            + " operator, auditor, admin");
            users.put(e.getKey(), new User(hash, Set.copyOf(roles)));
            cost = Math.max(cost, hash.cost());
        }
        this.users = Map.copyOf(users);
        this.standIn = BcryptHash.of("no such user".toCharArray(), cost);
    }

    /** The user's roles when the password is theirs; one bcrypt check whether the user exists or not. */
    Optional<Set<String>> signIn(String name, char[] password) {
        User user = users.get(name);
        if (user == null) {
            standIn.matches(password);
            return Optional.empty();
        }
        return user.hash().matches(password) ? Optional.of(user.roles()) : Optional.empty();
    }
}
