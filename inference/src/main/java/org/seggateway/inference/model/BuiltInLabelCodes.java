package org.seggateway.inference.model;

import java.util.Optional;
import org.seggateway.dicomio.seg.SegmentCodes;

/** Codes of name-only labels from the built-in table of anatomical names ({@link SegmentCodes}). */
public final class BuiltInLabelCodes implements LabelCodes {

    public static final BuiltInLabelCodes INSTANCE = new BuiltInLabelCodes();

    private BuiltInLabelCodes() {
    }

    @Override
    public Optional<Codes> codesFor(String name) {
        return SegmentCodes.builtIn().find(name).map(e -> new Codes(e.category(), e.type(), e.laterality()));
    }
}
