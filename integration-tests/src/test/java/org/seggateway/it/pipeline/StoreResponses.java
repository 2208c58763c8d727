package org.seggateway.it.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What DCMTK {@code storescu -v} said about each file it sent: file to the response status as it prints it
 * ({@code Success}, {@code Error: CannotUnderstand}, ...), in sending order. A file sent without a response (the
 * association was aborted or released under it) has no entry.
 */
public final class StoreResponses {
    private static final String SENDING = "I: Sending file: ";
    private static final Pattern RESPONSE = Pattern.compile("^I: Received Store Response \\((.*)\\)$");

    private StoreResponses() {
    }

    public static Map<String, String> parse(String storescuVerboseOutput) {
        Map<String, String> responses = new LinkedHashMap<>();
        String file = null;
        for (String line : storescuVerboseOutput.lines().toList()) {
            if (line.startsWith(SENDING)) {
                file = line.substring(SENDING.length()).strip();
                continue;
            }
            Matcher m = RESPONSE.matcher(line);
            if (m.matches() && file != null) {
                responses.put(file, m.group(1));
                file = null;
            }
        }
        return responses;
    }
}
