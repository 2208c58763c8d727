package org.seggateway.local;

import java.io.File;

/** How to start another JVM with this one's Java and class path (the jars a child main needs are on it). */
public final class ChildJava {
    private ChildJava() {
    }

    public static String executable() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /** This JVM's class path; under Surefire the real one, not its manifest-only booter jar. */
    public static String classPath() {
        String real = System.getProperty("surefire.real.class.path");
        return real != null && !real.isBlank() ? real : System.getProperty("java.class.path");
    }
}
