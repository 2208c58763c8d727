package org.seggateway.gateway.routing;

import java.util.List;
import java.util.Optional;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * The conditions of a routing rule as the API and the {@code routing_rules.match} column hold them; a missing (null)
 * condition always holds. The same conditions as a configured route's {@code match.*}.
 *
 * @param seriesDescription Java regular expression the whole Series Description must match
 * @param imageType         values that must all be present in Image Type
 */
public record RuleMatch(List<String> callingAeTitles, List<String> modalities, List<String> bodyParts, String seriesDescription,
                        List<String> imageType, Integer minSlices, List<String> sopClasses) {

    public static final RuleMatch ANY = new RuleMatch(null, null, null, null, null, null, null);

    public static RuleMatch of(GatewayConfig.Match m) {
        return new RuleMatch(m.callingAeTitles().orElse(null), m.modalities().orElse(null), m.bodyParts().orElse(null),
                m.seriesDescription().orElse(null), m.imageType().orElse(null), m.minSlices().orElse(null),
                m.sopClasses().orElse(null));
    }

    /** These conditions in the form the {@link Router} reads. */
    public GatewayConfig.Match asConfigMatch() {
        RuleMatch m = this;
        return new GatewayConfig.Match() {
            public Optional<List<String>> callingAeTitles() { return Optional.ofNullable(m.callingAeTitles()); }
            public Optional<List<String>> modalities() { return Optional.ofNullable(m.modalities()); }
            public Optional<List<String>> bodyParts() { return Optional.ofNullable(m.bodyParts()); }
            public Optional<String> seriesDescription() { return Optional.ofNullable(m.seriesDescription()); }
            public Optional<List<String>> imageType() { return Optional.ofNullable(m.imageType()); }
            public Optional<Integer> minSlices() { return Optional.ofNullable(m.minSlices()); }
            public Optional<List<String>> sopClasses() { return Optional.ofNullable(m.sopClasses()); }
        };
    }
}
