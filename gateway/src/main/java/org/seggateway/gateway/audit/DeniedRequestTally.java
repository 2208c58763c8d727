package org.seggateway.gateway.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Denied API requests counted per group (user, source address, status, API section) until drained into one
 * {@code api.denied} event per group. Memory is bounded: at most {@code maxGroups} groups (beyond them, requests are
 * counted under the user {@value #OTHERS} without an address), and per group at most {@value #MAX_LISTED} distinct
 * requests listed by method and path (the rest only counted).
 */
final class DeniedRequestTally {
    static final String OTHERS = "(other sources)";
    static final int MAX_LISTED = 5;

    record Group(String actor, String address, int status, String section) {
    }

    private static final class Count {
        final Instant first;
        Instant last;
        long requests;
        final Map<String, Long> listed = new LinkedHashMap<>();
        long unlisted;

        Count(Instant first) {
            this.first = first;
        }
    }

    private final int maxGroups;
    private Map<Group, Count> groups = new HashMap<>();

    DeniedRequestTally(int maxGroups) {
        this.maxGroups = maxGroups;
    }

    synchronized void add(Group group, String method, String path, Instant at) {
        Group g = groups.containsKey(group) || groups.size() < maxGroups ? group : new Group(OTHERS, null, group.status(), group.section());
        Count c = groups.computeIfAbsent(g, k -> new Count(at));
        c.requests++;
        c.last = at;
        String request = method + " " + path;
        if (c.listed.containsKey(request) || c.listed.size() < MAX_LISTED) c.listed.merge(request, 1L, Long::sum);
        else c.unlisted++;
    }

    /** The counted groups as audit events, and a fresh start. */
    List<AuditEvent> drain() {
        Map<Group, Count> drained;
        synchronized (this) {
            if (groups.isEmpty()) return List.of();
            drained = groups;
            groups = new HashMap<>();
        }
        List<AuditEvent> events = new ArrayList<>();
        drained.forEach((g, c) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("section", g.section());
            details.put("status", g.status());
            details.put("count", c.requests);
            details.put("from", c.first.toString());
            details.put("to", c.last.toString());
            List<Map<String, Object>> requests = new ArrayList<>();
            c.listed.forEach((request, n) -> {
                int space = request.indexOf(' ');
                requests.add(Map.of("method", request.substring(0, space), "path", request.substring(space + 1), "count", n));
            });
            details.put("requests", requests);
            if (c.unlisted > 0) details.put("unlisted", c.unlisted);
            events.add(new AuditEvent(ApiDeniedAudit.TYPE, g.actor(), g.address(), null,
                    g.status() == 401 ? "unauthorized" : g.status() == 429 ? "throttled" : "forbidden", details));
        });
        return events;
    }
}
