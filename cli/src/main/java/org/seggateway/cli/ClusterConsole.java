package org.seggateway.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The commands {@code seg-gateway cluster} reads, one per line: {@code kill NODE} (SIGKILL), {@code stop NODE} (SIGTERM),
 * {@code start NODE}, {@code pause postgres}, {@code resume postgres}, {@code status}, {@code check} (waits up to
 * {@link #CHECK_TIMEOUT} until every series sent so far is sound, then prints the verdict) and {@code quit}.
 */
final class ClusterConsole {
    static final Duration CHECK_TIMEOUT = Duration.ofMinutes(3);
    static final String HELP = "commands: kill NODE | stop NODE | start NODE | pause postgres | resume postgres | status | check | quit";

    private final LocalCluster cluster;
    private final Optional<SeriesLoad> load;
    private final Optional<ClusterCheck> check;
    private final PrintStream out;

    ClusterConsole(LocalCluster cluster, Optional<SeriesLoad> load, Optional<ClusterCheck> check, PrintStream out) {
        this.cluster = cluster;
        this.load = load;
        this.check = check;
        this.out = out;
    }

    /** Reads commands until {@code quit} or the end of input. */
    void run(BufferedReader in) throws IOException {
        out.println(HELP);
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            if (!apply(line.strip())) return;
        }
    }

    /** Applies one command; false for {@code quit}. Mistakes and failures are printed, never thrown. */
    boolean apply(String line) {
        List<String> words = List.of(line.split("\\s+"));
        String verb = words.getFirst();
        try {
            switch (verb) {
                case "quit", "exit" -> {
                    return false;
                }
                case "status" -> out.print(cluster.topology());
                case "check" -> out.println(check.isPresent() && load.isPresent()
                        ? "check: " + check.get().await(List.copyOf(load.get().sent()), CHECK_TIMEOUT)
                        : "check: no load running (start with --load SECONDS)");
                case "kill", "stop", "start" -> {
                    ClusterNode node = cluster.node(argument(words));
                    long t = System.nanoTime();
                    switch (verb) {
                        case "kill" -> node.kill();
                        case "stop" -> node.stop();
                        default -> node.start();
                    }
                    out.printf("%s %s (%.1f s)%n", node.name(), verb.equals("start") ? "started" : verb.equals("kill") ? "killed"
                            : "stopped", (System.nanoTime() - t) / 1e9);
                }
                case "pause", "resume" -> {
                    if (!argument(words).equals("postgres")) throw new IllegalArgumentException("only postgres is paused and resumed");
                    if (verb.equals("pause")) cluster.postgres().pause();
                    else cluster.postgres().resume();
                    out.println("postgres " + verb + "d");
                }
                default -> out.println("unknown command '" + verb + "'; " + HELP);
            }
        } catch (Exception e) {
            out.println(verb + ": " + SegGateway.oneLine(e));
        }
        return true;
    }

    private static String argument(List<String> words) {
        if (words.size() != 2) throw new IllegalArgumentException("'" + words.getFirst() + "' takes one node name");
        return words.get(1);
    }
}
