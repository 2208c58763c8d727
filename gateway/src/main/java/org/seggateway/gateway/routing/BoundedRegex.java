package org.seggateway.gateway.routing;

import static org.seggateway.gateway.routing.RoutingLog.LOG;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Matches an admin's regular expression against text a modality sent (Series Description) within a time limit: a
 * pattern that backtracks catastrophically (e.g. {@code (a|aa)+} on a long run of a's ending in b) is stopped after
 * {@link #LIMIT} and counts as no match, so that neither the router nor the series waits on it. The text is cut to
 * {@link #MAX_TEXT} characters (DICOM allows 64 in Series Description). The deadline is checked as the matcher reads
 * characters, which every step of a backtracking match does.
 */
final class BoundedRegex {
    static final Duration LIMIT = Duration.ofMillis(100);
    static final int MAX_TEXT = 1024;

    private BoundedRegex() {
    }

    /** Whether the whole text matches; false (and a warning) when the match takes longer than the limit. */
    static boolean matches(String regex, String text) {
        String t = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        try {
            return Pattern.compile(regex).matcher(new DeadlineText(t, System.nanoTime() + LIMIT.toNanos())).matches();
        } catch (DeadlineExceeded e) {
            LOG.regexTooSlow(regex, LIMIT.toMillis(), t.length());
            return false;
        }
    }

    private static final class DeadlineExceeded extends RuntimeException {
        DeadlineExceeded() {
            super(null, null, false, false);
        }
    }

    /** The text, throwing {@link DeadlineExceeded} from {@code charAt} once the deadline has passed. */
    private record DeadlineText(String text, long deadline) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (System.nanoTime() > deadline) throw new DeadlineExceeded();
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new DeadlineText(text.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
