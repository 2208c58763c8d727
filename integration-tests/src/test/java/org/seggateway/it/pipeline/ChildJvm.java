package org.seggateway.it.pipeline;

import java.nio.file.Path;

/** The java executable and class path of this JVM (under Surefire its real class path), for child JVMs. */
final class ChildJvm {
    private ChildJvm() {
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static String classPath() {
        String real = System.getProperty("surefire.real.class.path");
        return real != null && !real.isBlank() ? real : System.getProperty("java.class.path");
    }
}
