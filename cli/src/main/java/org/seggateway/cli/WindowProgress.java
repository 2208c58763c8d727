package org.seggateway.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.seggateway.inference.window.ProgressListener;

/**
 * "windows done / total" on stderr without flooding it: on a terminal one line updated in place at most
 * twice a second; otherwise (a log file, a pipe) one line per 10% step.
 */
final class WindowProgress implements ProgressListener {
    private static final long INTERVAL_NANOS = 500_000_000L;

    private final PrintStream err;
    private final boolean inPlace;
    private long lastNanos;
    private int lastTenth = -1;
    private boolean printed;

    WindowProgress(PrintStream err, boolean inPlace) {
        this.err = err;
        this.inPlace = inPlace;
    }

    /** In place when the JVM has a terminal. */
    static WindowProgress onStderr() {
        var console = System.console();
        return new WindowProgress(System.err, console != null && console.isTerminal());
    }

    @Override
    public synchronized void windowsDone(int done, int total) {
        String line = String.format(Locale.ROOT, "windows %d / %d (%d%%)", done, total, total == 0 ? 100 : 100L * done / total);
        if (inPlace) {
            long now = System.nanoTime();
            if (done == total || now - lastNanos > INTERVAL_NANOS) {
                lastNanos = now;
                err.print("\r" + line);
                err.flush();
                printed = true;
            }
        } else {
            int tenth = total == 0 ? 10 : (int) (10L * done / total);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                err.println(line);
            }
        }
    }

    /** Ends the in-place line. */
    synchronized void end() {
        if (inPlace && printed) err.println();
    }
}
