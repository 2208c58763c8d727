package org.seggateway.gateway.notify;

import java.util.HashMap;
import java.util.Map;
import org.seggateway.gateway.NetworkTestProfile;

/**
 * {@link NetworkTestProfile} with the test route delivering to both destinations (test-pacs, refusing-pacs) and three
 * webhooks on free loopback ports: {@code ris} (delivered only, with a token header and a token in its query),
 * {@code ops} (failed only) and {@code down} (both events; nothing ever listens there). Notifications give up after 3
 * attempts or 1 h; backoff 1 s doubling up to 2 s.
 */
public class WebhookTestProfile extends NetworkTestProfile {
    static final String RIS_TOKEN = "ris-secret-token", QUERY_TOKEN = "query-secret";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> c = new HashMap<>(super.getConfigOverrides());
        c.put("seg-gateway.routes.test-ct.destinations", "test-pacs,refusing-pacs");
        c.put("seg-gateway.webhooks.ris.url", "http://127.0.0.1:" + freePort() + "/hooks/seg?key=" + QUERY_TOKEN);
        c.put("seg-gateway.webhooks.ris.events", "delivered");
        c.put("seg-gateway.webhooks.ris.headers.\"X-Api-Key\"", RIS_TOKEN);
        c.put("seg-gateway.webhooks.ris.timeout", "5s");
        c.put("seg-gateway.webhooks.ops.url", "http://127.0.0.1:" + freePort() + "/ops");
        c.put("seg-gateway.webhooks.ops.events", "failed");
        c.put("seg-gateway.webhooks.down.url", "http://127.0.0.1:" + freePort() + "/down");
        c.put("seg-gateway.notifications.initial-backoff", "1s");
        c.put("seg-gateway.notifications.backoff-factor", "2");
        c.put("seg-gateway.notifications.max-backoff", "2s");
        c.put("seg-gateway.notifications.max-attempts", "3");
        c.put("seg-gateway.notifications.max-age", "1h");
        return c;
    }
}
