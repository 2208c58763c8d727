package org.seggateway.it.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the real tools say about a SEG file: dciodvfy's errors, dcmdump's referenced instances. */
public final class SegFile {
    private SegFile() {
    }

    /** The lines of {@code dciodvfy} output that report an error (warnings are not errors). */
    public static List<String> dciodvfyErrors(Path file) throws IOException, InterruptedException {
        return run("dciodvfy", file.toString()).lines().filter(l -> l.startsWith("Error")).toList();
    }

    /** Every Referenced SOP Instance UID (0008,1155) anywhere in the file, by {@code dcmdump}. */
    public static Set<String> referencedInstances(Path file) throws IOException, InterruptedException {
        Set<String> uids = new TreeSet<>();
        Matcher m = Pattern.compile("\\(0008,1155\\) UI \\[([0-9.]+)\\]").matcher(run("dcmdump", "+P", "0008,1155", file.toString()));
        while (m.find()) uids.add(m.group(1));
        return uids;
    }

    /** One attribute's value by {@code dcmdump +P TAG} (the first occurrence), e.g. {@code 0008,0016}. */
    public static String attribute(Path file, String tag) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("\\[([^\\]]*)\\]").matcher(run("dcmdump", "-Un", "+P", tag, file.toString()));
        return m.find() ? m.group(1) : null;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) throw new IOException(command[0] + " did not finish");
        return out;
    }
}
