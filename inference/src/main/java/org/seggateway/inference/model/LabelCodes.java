package org.seggateway.inference.model;

import java.util.Optional;
import org.seggateway.dicomio.seg.Code;

/**
 * Where the codes of a label that gives only a {@code name} come from (a table of anatomical names to
 * SNOMED CT category and type codes). {@link #NONE} knows no name, so such a label is an error.
 */
@FunctionalInterface
public interface LabelCodes {

    /** Category and type codes of a SEG segment, and its laterality (type modifier) or null. */
    record Codes(Code category, Code type, Code typeModifier) {}

    Optional<Codes> codesFor(String name);

    LabelCodes NONE = name -> Optional.empty();
}
