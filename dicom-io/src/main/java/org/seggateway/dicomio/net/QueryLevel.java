package org.seggateway.dicomio.net;

/** Query/Retrieve Level (0008,0052) of a study-root C-FIND or C-MOVE. */
public enum QueryLevel {
    STUDY, SERIES, IMAGE
}
