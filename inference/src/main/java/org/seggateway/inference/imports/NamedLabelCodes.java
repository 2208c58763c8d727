package org.seggateway.inference.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.seggateway.dicomio.seg.Code;
import org.seggateway.dicomio.seg.SegmentCodes;

/**
 * Gives every label of a model.json that has a name but no codes the SNOMED CT category and type of that name:
 * from {@code extra} (codes the user supplies by name) first, else from the built-in {@link SegmentCodes} table.
 */
public final class NamedLabelCodes {
    private NamedLabelCodes() {
    }

    /**
     * @param manifest the model.json tree, changed in place
     * @param file     the model.json path, for errors
     * @param extra    name -> {category, type}, matched after {@link SegmentCodes#normalise}; may be empty
     * @throws IllegalArgumentException naming the file, the label and what to add, for a name with no codes
     */
    public static void fill(ObjectNode manifest, Path file, Map<String, Coded> extra) {
        JsonNode labels = manifest.get("labels");
        if (!(labels instanceof ArrayNode list)) throw new IllegalArgumentException(file + ": labels: expected a list");
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof ObjectNode label)) throw new IllegalArgumentException(file + ": labels[" + i + "]: expected an object");
            if (label.has("category") && label.has("type")) continue;
            JsonNode name = label.get("name");
            if (name == null || !name.isTextual()) throw new IllegalArgumentException(file + ": labels[" + i + "].name: missing");
            Coded c = extra.get(SegmentCodes.normalise(name.asText()));
            if (c == null) {
                try {
                    var e = SegmentCodes.builtIn().require(name.asText());
                    c = new Coded(e.category(), e.type(), e.laterality());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": labels[" + i + "]: " + e.getMessage()
                            + " (or pass it with --segment-codes)");
                }
            }
            label.set("category", node(label, c.category()));
            label.set("type", node(label, c.type()));
            if (c.typeModifier() != null && !label.has("typeModifier")) label.set("typeModifier", node(label, c.typeModifier()));
        }
    }

    private static ObjectNode node(ObjectNode parent, Code c) {
        return parent.objectNode().put("code", c.value()).put("scheme", c.scheme()).put("meaning", c.meaning());
    }

    /** The two codes a SEG segment needs, and its laterality (type modifier) or null. */
    public record Coded(Code category, Code type, Code typeModifier) {}
}
