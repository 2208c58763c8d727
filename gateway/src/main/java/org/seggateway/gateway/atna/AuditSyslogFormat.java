package org.seggateway.gateway.atna;

import java.time.Instant;
import org.seggateway.gateway.audit.AuditEntry;

/**
 * One audit trail row as the syslog message the export sends: the DICOM audit message as MSG, and a structured-data
 * element {@code [seg-audit@PEN rowId= hash= previousHash=]} that ties the message to the row and its place in the
 * hash chain, so that the repository holds the chain's latest hash (rows removed from the end of the table show).
 */
public record AuditSyslogFormat(LocalNode node, String appName, int facility, int enterpriseNumber) {
    public static final String SD_NAME = "seg-audit";

    public AuditSyslogFormat {
        if (facility < 0 || facility > 23) throw new IllegalArgumentException("syslog facility " + facility + " not in 0..23");
        if (appName.isEmpty() || appName.length() > 48 || !appName.chars().allMatch(ch -> ch > 32 && ch < 127))
            throw new IllegalArgumentException("syslog app-name '" + appName + "' is not 1 to 48 printable ASCII characters");
        if (enterpriseNumber <= 0) throw new IllegalArgumentException("enterprise number " + enterpriseNumber + " is not positive");
    }

    public byte[] message(AuditEntry row, Instant now) {
        AuditMessageContent content = AuditEventMapping.map(row, node);
        boolean notable = content.event().outcome() != AuditMessageContent.SUCCESS
                || content.event().id().equals(CodedValue.SECURITY_ALERT);
        String sd = SyslogMessage.element(SD_NAME + "@" + enterpriseNumber, "rowId", Long.toString(row.id()), "hash", row.hash(),
                "previousHash", row.previousHash());
        return SyslogMessage.format(facility, notable ? SyslogMessage.WARNING : SyslogMessage.NOTICE, now, node.hostName(), appName,
                node.processId(), sd, AuditMessageXml.write(content));
    }
}
