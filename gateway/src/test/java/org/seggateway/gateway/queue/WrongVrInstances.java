package org.seggateway.gateway.queue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Path;

/**
 * Instances that a modality may send and ingest accepts, but that no code expects: the Per-frame Functional Groups
 * Sequence (5200,9230) of a single-frame image written with VR LO instead of SQ (explicit VR, so a reader keeps LO).
 * Reading the volume of such a series throws an unchecked exception (a ClassCastException).
 */
public final class WrongVrInstances {
    static final AttributeTag PER_FRAME_FUNCTIONAL_GROUPS = new AttributeTag(0x5200, 0x9230);

    private WrongVrInstances() {
    }

    /** Writes {@code source} to {@code target} (explicit VR little endian) with the sequence as an LO. */
    public static Path withPerFrameFunctionalGroupsAsLongString(Path source, Path target) throws Exception {
        AttributeList list = new AttributeList();
        list.read(source.toFile());
        LongStringAttribute wrong = new LongStringAttribute(PER_FRAME_FUNCTIONAL_GROUPS);
        wrong.addValue("NOT A SEQUENCE");
        list.put(wrong);
        list.write(target.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return target;
    }
}
