package org.seggateway.gateway.notify;

import java.util.HashMap;
import java.util.Map;
import org.seggateway.gateway.NetworkTestProfile;

/**
 * {@link NetworkTestProfile} with three HL7 receivers and one FHIR server on free loopback ports: {@code ris} (the
 * test answers AR, then closes without answer, then AA), {@code strict-ris} (answers AE), {@code down} (nothing ever
 * listens) and the FHIR server {@code ehr} (bearer token). Notifications give up after 3 attempts or 1 h; backoff 1 s
 * doubling up to 2 s; no webhooks.
 */
public class ResultMessagesTestProfile extends NetworkTestProfile {
    static final String EHR_TOKEN = "ehr-bearer-secret";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> c = new HashMap<>(super.getConfigOverrides());
        for (String ris : new String[] {"ris", "strict-ris", "down"}) {
            c.put("seg-gateway.hl7." + ris + ".host", "127.0.0.1");
            c.put("seg-gateway.hl7." + ris + ".port", Integer.toString(freePort()));
            c.put("seg-gateway.hl7." + ris + ".timeout", "5s");
        }
        c.put("seg-gateway.hl7.ris.receiving-application", "RADIS");
        c.put("seg-gateway.hl7.ris.receiving-facility", "NORTH");
        c.put("seg-gateway.fhir.ehr.url", "http://127.0.0.1:" + freePort() + "/fhir");
        c.put("seg-gateway.fhir.ehr.bearer-token", EHR_TOKEN);
        c.put("seg-gateway.fhir.ehr.patient-identifier-system", "urn:oid:1.2.3.4.5");
        c.put("seg-gateway.notifications.initial-backoff", "1s");
        c.put("seg-gateway.notifications.backoff-factor", "2");
        c.put("seg-gateway.notifications.max-backoff", "2s");
        c.put("seg-gateway.notifications.max-attempts", "3");
        c.put("seg-gateway.notifications.max-age", "1h");
        return c;
    }
}
