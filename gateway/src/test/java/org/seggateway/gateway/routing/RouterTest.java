package org.seggateway.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.seggateway.gateway.config.GatewayConfig;

class RouterTest {
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    record Match(Optional<List<String>> callingAeTitles, Optional<List<String>> modalities, Optional<List<String>> bodyParts,
                 Optional<String> seriesDescription, Optional<List<String>> imageType, Optional<Integer> minSlices,
                 Optional<List<String>> sopClasses) implements GatewayConfig.Match {
    }

    record Route(int priority, Duration quietTime, GatewayConfig.Match match, List<String> models,
                 List<String> destinations) implements GatewayConfig.Route {
        @Override
        public boolean measurementReport() {
            return true;
        }
    }

    static final Router ROUTER = new Router(Map.of(
            "abdomen-ct", new Route(10, Duration.ofSeconds(10),
                    new Match(Optional.empty(), Optional.of(List.of("CT")), Optional.of(List.of("ABDOMEN", "CHEST")),
                            Optional.of("(?i).*(portal|venous).*"), Optional.of(List.of("AXIAL")), Optional.of(50),
                            Optional.empty()),
                    List.of("models/liver"), List.of("pacs")),
            "any-ct-from-ct1", new Route(20, Duration.ofSeconds(5),
                    new Match(Optional.of(List.of("CT1")), Optional.of(List.of("CT")), Optional.empty(), Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.of(List.of(CT))),
                    List.of("models/organs"), List.of("pacs", "research"))));

    @Test
    void firstMatchingRuleByPriorityWins() {
        RouteDecision d = ROUTER.route(facts("CT1", "CT", "ABDOMEN", "Portal venous 1.0", 120));
        assertThat(d.routeName()).isEqualTo("abdomen-ct");
        assertThat(d.models()).containsExactly("models/liver");
        assertThat(ROUTER.shortestQuietTime()).contains(Duration.ofSeconds(5));
    }

    @Test
    void fallsThroughToTheNextRuleWhenAConditionFails() {
        assertThat(ROUTER.route(facts("CT1", "CT", "ABDOMEN", "Arterial", 120)).routeName()).isEqualTo("any-ct-from-ct1");
        assertThat(ROUTER.route(facts("CT1", "CT", "ABDOMEN", "Portal venous", 20)).routeName()).isEqualTo("any-ct-from-ct1");
    }

    @Test
    void skipsWithAReason() {
        RouteDecision none = ROUTER.route(facts("MR7", "MR", "HEAD", "T1", 120));
        assertThat(none.skipped()).isTrue();
        assertThat(none.skipReason()).contains("no route matches", "MR", "MR7");

        SeriesFacts localizer = new SeriesFacts("CT1", "CT", "ABDOMEN", "Scout", List.of("ORIGINAL", "PRIMARY", "LOCALIZER"), 2, Set.of(CT));
        assertThat(ROUTER.route(localizer).skipReason()).contains("localizer");
    }

    @Test
    @Timeout(30)
    void aCatastrophicRegexOnModalityTextIsStoppedAndTakenAsNoMatch() {
        Router router = new Router(Map.of(
                "evil", new Route(1, Duration.ofSeconds(10), new Match(Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of("(a|aa)+"), Optional.empty(), Optional.empty(), Optional.empty()), List.of("models/x"), List.of("pacs")),
                "fallback", new Route(50, Duration.ofSeconds(10), new Match(Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of("(?i)a+b"), Optional.empty(), Optional.empty(), Optional.empty()), List.of("models/y"), List.of("pacs"))));
        String description = "a".repeat(63) + "b"; // (a|aa)+ tries fibonacci(63) splits before giving up
        long start = System.nanoTime();
        RouteDecision d = router.route(facts("CT1", "CT", "ABDOMEN", description, 100));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(d.routeName()).isEqualTo("fallback");
        assertThat(seconds).isLessThan(2);
        assertThat(router.route(facts("CT1", "CT", "ABDOMEN", "a".repeat(20), 100)).routeName()).as("a fast match still matches").isEqualTo("evil");
    }

    static SeriesFacts facts(String ae, String modality, String bodyPart, String description, int instances) {
        return new SeriesFacts(ae, modality, bodyPart, description, List.of("ORIGINAL", "PRIMARY", "AXIAL"), instances, Set.of(CT));
    }
}
