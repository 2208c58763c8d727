package org.seggateway.dicomio.seg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in table from anatomical structure names (TotalSegmentator v2's label names and other common
 * spellings) to the SNOMED CT codes of a SEG segment: category, type and, for paired structures, the laterality
 * that SEG carries as Segmented Property Type Modifier. The table is {@code segment-codes.csv} next to this class.
 *
 * <p>Names match after {@link #normalise}: case, spaces, hyphens and brackets do not matter, and a side may come
 * first or last, spelled out or as one letter ({@code "Left kidney"}, {@code "kidney_L"}, {@code "kidney (left)"}
 * all find {@code kidney_left}).
 */
public final class SegmentCodes {

    private static final String RESOURCE = "segment-codes.csv";
    private static final Code LEFT = new Code("7771000", "SCT", "Left");
    private static final Code RIGHT = new Code("24028007", "SCT", "Right");

    /**
     * One structure.
     *
     * @param laterality Left or Right (SCT 7771000, 24028007), or null for unpaired structures and both sides together
     */
    public record Entry(String name, Code category, Code type, Code laterality) {}

    private static volatile SegmentCodes builtIn;

    private final Map<String, Entry> byName;
    private final List<Entry> entries;

    private SegmentCodes(Map<String, Entry> byName, List<Entry> entries) {
        this.byName = byName;
        this.entries = entries;
    }

    /** The table shipped with the code. */
    public static SegmentCodes builtIn() {
        SegmentCodes t = builtIn;
        if (t == null) {
            try (InputStream in = SegmentCodes.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("resource " + RESOURCE + " missing next to SegmentCodes");
                builtIn = t = parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return t;
    }

    static SegmentCodes parse(InputStream in) throws IOException {
        Map<String, Entry> byName = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            boolean header = true;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) continue;
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 7) throw new IllegalStateException(RESOURCE + " line " + n + ": expected 7 columns");
                Code laterality = switch (f[5]) {
                    case "" -> null;
                    case "left" -> LEFT;
                    case "right" -> RIGHT;
                    default -> throw new IllegalStateException(RESOURCE + " line " + n + ": laterality " + f[5]);
                };
                Entry e = new Entry(f[0], new Code(f[1], "SCT", f[2]), new Code(f[3], "SCT", f[4]), laterality);
                entries.add(e);
                put(byName, f[0], e, n);
                for (String alias : f[6].split(" ")) if (!alias.isBlank()) put(byName, alias, e, n);
            }
        }
        return new SegmentCodes(byName, Collections.unmodifiableList(entries));
    }

    private static void put(Map<String, Entry> byName, String name, Entry e, int line) {
        if (byName.put(normalise(name), e) != null)
            throw new IllegalStateException(RESOURCE + " line " + line + ": name " + name + " appears twice");
    }

    /** Every structure, in the table's order. */
    public List<Entry> entries() {
        return entries;
    }

    public Optional<Entry> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(normalise(name)));
    }

    /** The structure a name denotes, or an error that says how to describe it. */
    public Entry require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no SNOMED CT codes known for the segment name '"
                + name + "': give its \"category\" and \"type\" codes (code, scheme, meaning) in the label, or add the name"
                + " to the built-in table dicom-io/src/main/resources/org/seggateway/dicomio/seg/" + RESOURCE));
    }

    /** Lower case, words joined by '_', a side moved to the end and spelled out. */
    public static String normalise(String name) {
        List<String> words = new ArrayList<>();
        for (String w : name.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) if (!w.isEmpty()) words.add(w);
        if (words.size() > 1) {
            String first = words.getFirst(), last = words.getLast();
            if (first.equals("left") || first.equals("right")) words.add(words.removeFirst());
            else if (last.equals("l")) words.set(words.size() - 1, "left");
            else if (last.equals("r")) words.set(words.size() - 1, "right");
        }
        return String.join("_", words);
    }
}
