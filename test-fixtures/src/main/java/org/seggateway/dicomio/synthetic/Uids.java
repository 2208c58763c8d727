package org.seggateway.dicomio.synthetic;

import com.pixelmed.utils.UUIDBasedOID;

/**
 * New UUID-derived UIDs under 2.25 (PS3.5 B.2), the form dicom-io's UidGenerator makes by default; taken from
 * PixelMed because this module must not depend on dicom-io (dicom-io's tests depend on it).
 */
final class Uids {
    private Uids() {}

    static String next() {
        return new UUIDBasedOID().getOID();
    }
}
