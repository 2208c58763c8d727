package org.seggateway.gateway.notify;

import jakarta.enterprise.context.ApplicationScoped;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.notify.NotificationRepository.Due;
import org.seggateway.gateway.notify.fhir.FhirPost;
import org.seggateway.gateway.notify.hl7.Hl7Send;

/** Sends a claimed notification in its channel's language to its configured receiver; never with a transaction open. */
@ApplicationScoped
public class NotificationChannels {
    private final WebhookPost webhooks;
    private final Hl7Send hl7;
    private final FhirPost fhir;
    private final GatewayConfig config;

    NotificationChannels(WebhookPost webhooks, Hl7Send hl7, FhirPost fhir, GatewayConfig config) {
        this.webhooks = webhooks;
        this.hl7 = hl7;
        this.fhir = fhir;
        this.config = config;
    }

    public ChannelAnswer send(Due due) {
        return switch (due.channel()) {
            case WEBHOOK -> webhooks.post(due, config.webhooks().get(due.webhook())).asChannelAnswer();
            case HL7 -> hl7.send(due, config.hl7().get(due.webhook()));
            case FHIR -> fhir.post(due, config.fhir().get(due.webhook()));
        };
    }

    /** host:port of the receiver, the part of its address that is safe to log and audit; null when it is not configured. */
    public String address(Due due) {
        return switch (due.channel()) {
            case WEBHOOK -> {
                GatewayConfig.Webhook w = config.webhooks().get(due.webhook());
                yield w == null ? null : WebhookPost.hostAndPort(w.url());
            }
            case HL7 -> {
                GatewayConfig.Hl7Receiver r = config.hl7().get(due.webhook());
                yield r == null ? null : Hl7Send.address(r);
            }
            case FHIR -> {
                GatewayConfig.FhirServer f = config.fhir().get(due.webhook());
                yield f == null ? null : FhirPost.address(f);
            }
        };
    }
}
