package org.seggateway.gateway.config;

/**
 * What is wrong with one configuration key.
 *
 * @param key     the full key, e.g. {@code seg-gateway.routes.ct.destinations}
 * @param message what is wrong with its value
 */
public record ConfigProblem(String key, String message) {
    static final String PREFIX = "seg-gateway.";

    /** The key below {@code seg-gateway.}, e.g. {@code routes.ct.destinations}. */
    public String relativeKey() {
        return key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
    }
}
