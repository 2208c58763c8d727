package org.seggateway.gateway.audit;

import java.util.List;

/** One page of audit rows, newest first. */
public record AuditPage(int page, int size, long total, List<AuditEntry> entries) {
}
