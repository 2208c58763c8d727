package org.seggateway.gateway.atna;

/** A coded value of a DICOM audit message: {@code csd-code}, {@code codeSystemName}, {@code originalText}. */
public record CodedValue(String code, String system, String meaning) {

    static CodedValue dcm(String code, String meaning) {
        return new CodedValue(code, "DCM", meaning);
    }

    // PS3.16 CID 400-404 and PS3.15 A.5.2: the event IDs, event types, roles and object ID types used here
    static final CodedValue APPLICATION_ACTIVITY = dcm("110100", "Application Activity");
    static final CodedValue AUDIT_LOG_USED = dcm("110101", "Audit Log Used");
    static final CodedValue BEGIN_TRANSFERRING = dcm("110102", "Begin Transferring DICOM Instances");
    static final CodedValue INSTANCES_ACCESSED = dcm("110103", "DICOM Instances Accessed");
    static final CodedValue INSTANCES_TRANSFERRED = dcm("110104", "DICOM Instances Transferred");
    static final CodedValue QUERY = dcm("110112", "Query");
    static final CodedValue SECURITY_ALERT = dcm("110113", "Security Alert");
    static final CodedValue USER_AUTHENTICATED = dcm("110114", "User Authenticated");

    static final CodedValue APPLICATION_START = dcm("110120", "Application Start");
    static final CodedValue APPLICATION_STOP = dcm("110121", "Application Stop");
    static final CodedValue LOGIN = dcm("110122", "Login");
    static final CodedValue LOGOUT = dcm("110123", "Logout");
    static final CodedValue NODE_AUTHENTICATION = dcm("110126", "Node Authentication");
    static final CodedValue SOFTWARE_CONFIGURATION = dcm("110131", "Software Configuration");
    static final CodedValue USE_OF_RESTRICTED_FUNCTION = dcm("110132", "Use of Restricted Function");

    static final CodedValue ROLE_APPLICATION = dcm("110150", "Application");
    static final CodedValue ROLE_APPLICATION_LAUNCHER = dcm("110151", "Application Launcher");
    static final CodedValue ROLE_DESTINATION = dcm("110152", "Destination Role ID");
    static final CodedValue ROLE_SOURCE = dcm("110153", "Source Role ID");

    static final CodedValue STUDY_INSTANCE_UID = dcm("110180", "Study Instance UID");
    static final CodedValue URI = new CodedValue("12", "RFC-3881", "URI");

    /** Code system of the audit event types that no DICOM event describes: the type itself is the code. */
    static final String LOCAL_SYSTEM = "SEG-GATEWAY";
}
