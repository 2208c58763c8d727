package org.seggateway.gateway.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/log-events.md lists every log event id of the main code of all modules once, with its level; and no id that the
 * code does not have.
 */
class LogEventsDocumentedTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern MESSAGE_ID = Pattern.compile("@Message\\s*\\(\\s*id\\s*=\\s*(\\d+)");
    private static final Pattern LOG_MESSAGE = Pattern.compile("@LogMessage(?:\\s*\\(([^)]*)\\))?");
    private static final Pattern LEVEL = Pattern.compile("Level\\.(\\w+)");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*SEGGW(\\d{4})\\s*\\|\\s*(\\w+)\\s*\\|", Pattern.MULTILINE);

    /** One {@code @Message} of the code: its level (null for a message that is not logged) and where it is. */
    record CodeEvent(String level, String where) {}

    @Test
    void everyEventIdIsDocumentedOnceWithItsLevel() throws IOException {
        Map<Integer, List<CodeEvent>> code = codeEvents();
        assertTrue(code.containsKey(1) && code.containsKey(9001), "the scan must reach dicom-io and inference: " + code.keySet());
        Map<Integer, List<String>> documented = documentedLevels();

        List<String> problems = new ArrayList<>();
        code.forEach((id, events) -> {
            if (events.size() > 1) problems.add(name(id) + " used " + events.size() + " times: " + events);
            List<String> rows = documented.get(id);
            if (rows == null) problems.add(name(id) + " (" + events.getFirst().where() + ") is not in docs/log-events.md");
            else if (events.getFirst().level() != null && !rows.getFirst().equals(events.getFirst().level()))
                problems.add(name(id) + " is " + events.getFirst().level() + " in the code, " + rows.getFirst() + " in the docs");
        });
        documented.forEach((id, rows) -> {
            if (rows.size() > 1) problems.add(name(id) + " listed " + rows.size() + " times in docs/log-events.md");
            if (!code.containsKey(id)) problems.add(name(id) + " is in docs/log-events.md but not in the code");
        });
        assertEquals(List.of(), problems);
    }

    private static Map<Integer, List<CodeEvent>> codeEvents() throws IOException {
        Map<Integer, List<CodeEvent>> events = new TreeMap<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(f -> collect(f, events));
                }
            }
        }
        return events;
    }

    private static void collect(Path file, Map<Integer, List<CodeEvent>> events) {
        String source = read(file);
        Matcher id = MESSAGE_ID.matcher(source);
        int declarationStart = 0;
        while (id.find()) {
            assertTrue(source.contains("projectCode = \"SEGGW\"") && source.contains("length = 4"),
                    file + ": message ids need @MessageLogger(projectCode = \"SEGGW\", length = 4)");
            // the annotations of one method: from the end of the previous declaration to its @Message
            String annotations = source.substring(Math.max(declarationStart, source.lastIndexOf(';', id.start()) + 1), id.start());
            declarationStart = id.end();
            Matcher logMessage = LOG_MESSAGE.matcher(annotations);
            String level = null;
            if (logMessage.find()) {
                Matcher explicit = LEVEL.matcher(logMessage.group(1) == null ? "" : logMessage.group(1));
                level = explicit.find() ? explicit.group(1) : "INFO";
            }
            String where = ROOT.relativize(file).toString();
            events.computeIfAbsent(Integer.parseInt(id.group(1)), k -> new ArrayList<>()).add(new CodeEvent(level, where));
        }
    }

    private static Map<Integer, List<String>> documentedLevels() {
        Map<Integer, List<String>> levels = new TreeMap<>();
        Matcher row = ROW.matcher(read(ROOT.resolve("docs/log-events.md")));
        while (row.find()) levels.computeIfAbsent(Integer.parseInt(row.group(1)), k -> new ArrayList<>()).add(row.group(2));
        return levels;
    }

    private static String name(int id) {
        return "SEGGW%04d".formatted(id);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
