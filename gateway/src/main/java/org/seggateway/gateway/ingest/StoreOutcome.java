package org.seggateway.gateway.ingest;

/** What storing a received instance did. */
public enum StoreOutcome {
    /** A new instance, now in the spool and the database. */
    STORED,
    /** The same SOP Instance UID with the same bytes: acknowledged, nothing stored again. */
    DUPLICATE,
    /** The same SOP Instance UID with other bytes: kept as a new version beside the old one. */
    NEW_VERSION
}
