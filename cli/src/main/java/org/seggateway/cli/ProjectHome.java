package org.seggateway.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project checkout this CLI runs from: where the gateway application and the demo model are. Set by
 * {@code bin/seg-gateway} ({@code -Dseg-gateway.home}); otherwise the folder above this class's jar or classes
 * that holds {@code gateway/} and {@code mvnw}.
 */
final class ProjectHome {
    private ProjectHome() {
    }

    static Path get() {
        String configured = System.getProperty("seg-gateway.home");
        if (configured != null && !configured.isBlank()) return Path.of(configured).toAbsolutePath();
        for (Path start : new Path[] {codeLocation(), Path.of("").toAbsolutePath()}) {
            for (Path p = start; p != null; p = p.getParent())
                if (Files.isDirectory(p.resolve("gateway")) && Files.exists(p.resolve("mvnw"))) return p;
        }
        throw new IllegalStateException("cannot find the project folder (with gateway/ and mvnw): run bin/seg-gateway,"
                + " or set -Dseg-gateway.home");
    }

    /** The Quarkus application that {@code bin/seg-gateway} builds. */
    static Path gatewayJar() {
        Path jar = get().resolve("gateway/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar))
            throw new IllegalStateException("the gateway application is not built: " + jar + " is missing"
                    + " (bin/seg-gateway builds it; or ./mvnw -B -q -pl cli,gateway -am package -DskipTests)");
        return jar;
    }

    private static Path codeLocation() {
        try {
            return Path.of(ProjectHome.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | NullPointerException e) {
            return null;
        }
    }
}
