package org.seggateway.dicomio.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C-STORE responses as DCMTK {@code storescu -d} printed them, in the order they came: the status, and the
 * Error Comment (0000,0902) and Offending Element (0000,0901) of its "Status Detail".
 */
public final class StorescuResponses {

    /** One response; {@code status} as storescu prints it, e.g. "0xa900"; comment empty and elements empty if absent. */
    public record Response(String status, String errorComment, List<String> offendingElements) {}

    private static final Pattern STATUS = Pattern.compile("DIMSE Status\\s*:\\s*(0x[0-9a-fA-F]{4})");
    private static final Pattern OFFENDING = Pattern.compile("\\(0000,0901\\) AT (\\S+)");
    private static final Pattern COMMENT = Pattern.compile("\\(0000,0902\\) LO \\[(.*)\\]\\s*#");

    private StorescuResponses() {}

    public static List<Response> parse(String storescuDebugOutput) {
        List<Response> responses = new ArrayList<>();
        boolean inResponse = false;
        for (String line : storescuDebugOutput.lines().toList()) {
            if (line.contains("Message Type") && line.contains(":")) {
                inResponse = line.contains("C-STORE RSP");
                continue;
            }
            Matcher m = STATUS.matcher(line);
            if (inResponse && m.find()) {
                responses.add(new Response(m.group(1).toLowerCase(java.util.Locale.ROOT), "", List.of()));
                continue;
            }
            if (responses.isEmpty()) continue;
            Response last = responses.getLast();
            if ((m = OFFENDING.matcher(line)).find())
                responses.set(responses.size() - 1, new Response(last.status(), last.errorComment(),
                        Arrays.asList(m.group(1).split("\\\\"))));
            else if ((m = COMMENT.matcher(line)).find())
                responses.set(responses.size() - 1, new Response(last.status(), m.group(1).strip(),
                        last.offendingElements()));
        }
        return responses;
    }
}
