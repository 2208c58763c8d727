package org.seggateway.gateway.atna;

import java.io.ByteArrayOutputStream;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.seggateway.gateway.atna.AuditMessageContent.Participant;
import org.seggateway.gateway.atna.AuditMessageContent.ParticipantObject;

/**
 * Writes a DICOM audit message (PS3.15 A.5.1, the schema without namespace): {@code AuditMessage} with
 * {@code EventIdentification}, {@code ActiveParticipant}s, {@code AuditSourceIdentification} and
 * {@code ParticipantObjectIdentification}s, as UTF-8 on one line, without XML declaration.
 */
public final class AuditMessageXml {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private AuditMessageXml() {
    }

    public static byte[] write(AuditMessageContent content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try {
            XMLStreamWriter x = FACTORY.createXMLStreamWriter(out, "UTF-8");
            x.writeStartElement("AuditMessage");

            var event = content.event();
            x.writeStartElement("EventIdentification");
            x.writeAttribute("EventActionCode", event.action());
            x.writeAttribute("EventDateTime", DateTimeFormatter.ISO_INSTANT.format(event.occurredAt().truncatedTo(ChronoUnit.MICROS)));
            x.writeAttribute("EventOutcomeIndicator", Integer.toString(event.outcome()));
            code(x, "EventID", event.id());
            for (CodedValue type : event.types()) code(x, "EventTypeCode", type);
            if (event.outcomeDescription() != null) text(x, "EventOutcomeDescription", event.outcomeDescription());
            x.writeEndElement();

            for (Participant p : content.participants()) {
                x.writeStartElement("ActiveParticipant");
                x.writeAttribute("UserID", p.userId() == null ? "unknown" : p.userId());
                if (p.alternativeUserId() != null) x.writeAttribute("AlternativeUserID", p.alternativeUserId());
                x.writeAttribute("UserIsRequestor", Boolean.toString(p.requestor()));
                if (p.networkAccessPoint() != null) {
                    x.writeAttribute("NetworkAccessPointID", p.networkAccessPoint());
                    x.writeAttribute("NetworkAccessPointTypeCode", isIpAddress(p.networkAccessPoint()) ? "2" : "1");
                }
                if (p.role() != null) code(x, "RoleIDCode", p.role());
                x.writeEndElement();
            }

            x.writeStartElement("AuditSourceIdentification");
            x.writeAttribute("AuditSourceID", content.auditSourceId());
            // 4: application server process tier in a multi-tier system
            code(x, "AuditSourceTypeCode", new CodedValue("4", "DCM", "Application Server Process"));
            x.writeEndElement();

            for (ParticipantObject o : content.objects()) {
                x.writeStartElement("ParticipantObjectIdentification");
                x.writeAttribute("ParticipantObjectID", o.id());
                x.writeAttribute("ParticipantObjectTypeCode", Integer.toString(o.typeCode()));
                x.writeAttribute("ParticipantObjectTypeCodeRole", Integer.toString(o.typeCodeRole()));
                code(x, "ParticipantObjectIDTypeCode", o.idType());
                if (o.query() != null) text(x, "ParticipantObjectQuery", Base64.getEncoder().encodeToString(o.query()));
                if (o.sopClassUid() != null) {
                    x.writeStartElement("SOPClass");
                    x.writeAttribute("UID", o.sopClassUid());
                    x.writeAttribute("NumberOfInstances", Integer.toString(o.instances()));
                    x.writeEndElement();
                }
                x.writeEndElement();
            }

            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("audit message not written: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static void code(XMLStreamWriter x, String element, CodedValue value) throws XMLStreamException {
        x.writeEmptyElement(element);
        x.writeAttribute("csd-code", value.code());
        x.writeAttribute("codeSystemName", value.system());
        x.writeAttribute("originalText", value.meaning());
    }

    private static void text(XMLStreamWriter x, String element, String value) throws XMLStreamException {
        x.writeStartElement(element);
        x.writeCharacters(printable(value));
        x.writeEndElement();
    }

    /** XML 1.0 has no place for most control characters; an error text may carry some. */
    private static String printable(String s) {
        return s.replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "?").replace('\n', ' ').replace('\r', ' ');
    }

    static boolean isIpAddress(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.contains(":");
    }
}
