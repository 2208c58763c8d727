package org.seggateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Changes to a copy of the chart, each checked to have happened. */
final class Edits {
    private Edits() {}

    static void replace(Path file, String from, String to) {
        try {
            String text = Files.readString(file);
            if (!text.contains(from)) throw new IllegalArgumentException(file + " does not contain " + from);
            Files.writeString(file, text.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
