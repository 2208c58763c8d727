package org.seggateway.dicomio.net;

/** AE title validation (PS3.5 AE value representation: at most 16 characters, no backslash or control characters). */
final class AeTitles {

    private AeTitles() {}

    /** Returns the title without leading/trailing spaces, or throws naming {@code what}. */
    static String check(String aeTitle, String what) {
        if (aeTitle == null) throw new IllegalArgumentException(what + " is missing");
        String trimmed = aeTitle.strip();
        if (trimmed.isEmpty() || trimmed.length() > 16)
            throw new IllegalArgumentException(what + " must have 1 to 16 characters: '" + aeTitle + "'");
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '\\' || c < 0x20 || c > 0x7e)
                throw new IllegalArgumentException(what + " has a character not allowed in an AE title: '" + aeTitle + "'");
        }
        return trimmed;
    }
}
