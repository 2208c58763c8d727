package org.seggateway.gateway.dicomweb;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A Content-Type split into its type and parameters (names in lower case, quoted values unquoted), and what STOW-RS
 * needs of it: {@code multipart/related} with {@code type="application/dicom"} and a boundary.
 */
public record StowMediaType(String type, Map<String, String> parameters) {

    public static final String DICOM = "application/dicom";

    public static StowMediaType parse(String contentType) {
        if (contentType == null || contentType.isBlank()) return new StowMediaType("", Map.of());
        String[] pieces = splitOutsideQuotes(contentType);
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < pieces.length; i++) {
            String p = pieces[i].strip();
            int eq = p.indexOf('=');
            if (eq <= 0) continue;
            String value = p.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\""))
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
            params.put(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), value);
        }
        return new StowMediaType(pieces[0].strip().toLowerCase(Locale.ROOT), Map.copyOf(params));
    }

    public String parameter(String name) {
        return parameters.get(name);
    }

    /** multipart/related whose root type is application/dicom (or not stated). */
    public boolean isDicomMultipart() {
        if (!"multipart/related".equals(type)) return false;
        String root = parameter("type");
        return root == null || DICOM.equals(root.strip().toLowerCase(Locale.ROOT));
    }

    /** A part's own type is application/dicom (with any parameters, e.g. transfer-syntax). */
    public boolean isDicom() {
        return DICOM.equals(type);
    }

    private static String[] splitOutsideQuotes(String s) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) quoted = !quoted;
            if (c == ';' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.toArray(String[]::new);
    }
}
