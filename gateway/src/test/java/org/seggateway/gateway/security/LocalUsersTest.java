package org.seggateway.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.config.GatewayConfig;

class LocalUsersTest {
    private static GatewayConfig.LocalUser user(String hash, String... roles) {
        return new GatewayConfig.LocalUser() {
            @Override
            public String passwordHash() {
                return hash;
            }

            @Override
            public List<String> roles() {
                return List.of(roles);
            }
        };
    }

    @Test
    void aFormerEmbeddedUserSettingStopsTheStartWithWhatToDo() {
        assertThatThrownBy(() -> new LocalUsers(Map.of(), List.of("quarkus.http.port",
                "quarkus.security.users.embedded.users.alice")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.security.users.embedded.users.alice is no longer read")
                .hasMessageContaining("seg-gateway.users.alice.password-hash")
                .hasMessageContaining("bin/seg-gateway hash-password");
    }

    @Test
    void aSha256DigestOrAnUnknownRoleStopsTheStart() {
        assertThatThrownBy(() -> new LocalUsers(Map.of("alice", user("8bc362528cd13eaa0e0ad90e91638ed9abbeef7537b94e7e02ead9bf4596e109",
                Roles.VIEWER)), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("seg-gateway.users.alice.password-hash holds an unsalted SHA-256 digest");
        String hash = BcryptHash.of("pw".toCharArray(), 10).toString();
        assertThatThrownBy(() -> new LocalUsers(Map.of("alice", user(hash, "root")), List.of()))
                .hasMessageContaining("seg-gateway.users.alice.roles names an unknown role 'root'");
    }

    @Test
    void signInChecksThePasswordAndAnUnknownUserCostsABcryptCheckToo() {
        LocalUsers users = new LocalUsers(Map.of("alice", user(BcryptHash.of("right".toCharArray(), 10).toString(),
                Roles.VIEWER, Roles.AUDITOR)), List.of());
        assertThat(users.signIn("alice", "right".toCharArray())).contains(Set.of(Roles.VIEWER, Roles.AUDITOR));
        assertThat(users.signIn("alice", "wrong".toCharArray())).isEmpty();
        assertThat(users.signIn("mallory", "right".toCharArray())).isEmpty();

        long known = fastest(() -> users.signIn("alice", "wrong".toCharArray()));
        long unknown = fastest(() -> users.signIn("mallory", "wrong".toCharArray()));
        // without the stand-in check an unknown name answers in microseconds, against tens of milliseconds
        assertThat(unknown).as("unknown %d ns, known %d ns", unknown, known).isGreaterThan(known / 3);
    }

    private static long fastest(Runnable check) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            check.run();
            best = Math.min(best, System.nanoTime() - start);
        }
        return best;
    }
}
