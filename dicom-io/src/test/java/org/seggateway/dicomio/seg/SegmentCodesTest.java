package org.seggateway.dicomio.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SegmentCodesTest {

    private final SegmentCodes codes = SegmentCodes.builtIn();

    @Test
    void wellKnownOrgansHaveTheirPublishedCodes() {
        assertEquals(new Code("10200004", "SCT", "Liver"), codes.require("liver").type());
        assertEquals(new Code("78961009", "SCT", "Spleen"), codes.require("Spleen").type());
        assertEquals(new Code("15776009", "SCT", "Pancreas"), codes.require("pancreas").type());
        assertEquals(new Code("123037004", "SCT", "Anatomical Structure"), codes.require("liver").category());
        assertNull(codes.require("liver").laterality());
    }

    @Test
    void pairedStructuresCarryTheirSide() {
        SegmentCodes.Entry left = codes.require("kidney_left"), right = codes.require("kidney_right");
        assertEquals("64033007", left.type().value());
        assertEquals(left.type(), right.type());
        assertEquals(new Code("7771000", "SCT", "Left"), left.laterality());
        assertEquals(new Code("24028007", "SCT", "Right"), right.laterality());
        assertEquals("64033007", codes.require("kidney").type().value());
        assertNull(codes.require("kidney").laterality());
    }

    @Test
    void spellingsOfOneStructureFindTheSameEntry() {
        for (String spelling : List.of("Left kidney", "kidney_L", "Kidney (left)", "KIDNEY-LEFT", "left_kidney"))
            assertEquals("kidney_left", codes.require(spelling).name(), spelling);
        assertEquals("urinary_bladder", codes.require("Bladder").name());
        assertEquals("vertebrae_L1", codes.require("vertebrae_L1").name());
    }

    @Test
    void theTableCoversTotalSegmentatorsStructures() {
        Set<String> names = new HashSet<>();
        codes.entries().forEach(e -> names.add(e.name()));
        for (String v : List.of("C1", "C7", "T1", "T12", "L1", "L5", "S1")) assertTrue(names.contains("vertebrae_" + v), v);
        for (int i = 1; i <= 12; i++) {
            assertTrue(names.contains("rib_left_" + i));
            assertTrue(names.contains("rib_right_" + i));
        }
        for (String n : List.of("lung_upper_lobe_left", "lung_lower_lobe_left", "lung_upper_lobe_right", "lung_middle_lobe_right",
                "lung_lower_lobe_right", "heart", "heart_atrium_left", "heart_ventricle_right", "aorta", "inferior_vena_cava",
                "portal_vein_and_splenic_vein", "iliac_artery_left", "iliopsoas_right", "gluteus_maximus_left", "autochthon_right",
                "spinal_cord", "brain", "skull", "sternum", "costal_cartilages", "femur_left", "humerus_right", "esophagus",
                "trachea", "thyroid_gland", "adrenal_gland_left", "gallbladder", "stomach", "duodenum", "small_bowel", "colon"))
            assertTrue(names.contains(n), n);
        assertTrue(codes.entries().size() >= 117, "entries: " + codes.entries().size());
        // every code is a SNOMED CT identifier (digits, 6 to 18 of them)
        codes.entries().forEach(e -> assertTrue(e.type().value().matches("[0-9]{6,18}"), e.name()));
    }

    @Test
    void anUnknownNameSaysWhatToAdd() {
        var e = assertThrows(IllegalArgumentException.class, () -> codes.require("flux capacitor"));
        assertTrue(e.getMessage().contains("'flux capacitor'"), e.getMessage());
        assertTrue(e.getMessage().contains("\"category\" and \"type\""), e.getMessage());
        assertTrue(e.getMessage().contains("segment-codes.csv"), e.getMessage());
    }
}
