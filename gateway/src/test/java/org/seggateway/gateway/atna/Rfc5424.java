package org.seggateway.gateway.atna;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

/** The tests' own reading of an RFC 5424 message (section 6 ABNF), strict enough to fail on a malformed header. */
public record Rfc5424(int facility, int severity, OffsetDateTime timestamp, String hostName, String appName, String procId,
                      String msgId, String structuredData, String msg) {
    // PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP BOM MSG]
    private static final Pattern MESSAGE = Pattern.compile(
            "<(\\d{1,3})>1 (\\S+) ([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) "
                    + "(-|(?:\\[[^ =\\]\"]+(?: [^ =\\]\"]+=\"(?:[^\"\\\\\\]]|\\\\.)*\")*\\])+)(?: \uFEFF(.*))?", Pattern.DOTALL);

    public static Rfc5424 parse(String raw) {
        Matcher m = MESSAGE.matcher(raw);
        if (!m.matches()) throw new IllegalArgumentException("not an RFC 5424 message with a UTF-8 MSG: " + raw);
        int pri = Integer.parseInt(m.group(1));
        if (pri > 191) throw new IllegalArgumentException("PRI " + pri + " out of range");
        return new Rfc5424(pri / 8, pri % 8, OffsetDateTime.parse(m.group(2)), m.group(3), m.group(4), m.group(5), m.group(6),
                m.group(7), m.group(8));
    }

    /** A parameter of the structured data, or null. */
    public String parameter(String name) {
        Matcher m = Pattern.compile(" " + Pattern.quote(name) + "=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(structuredData);
        return m.find() ? m.group(1).replaceAll("\\\\(.)", "$1") : null;
    }

    /** MSG parsed as XML. */
    public Document xml() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(msg.getBytes(StandardCharsets.UTF_8)));
    }

    /** An XPath expression's string value in MSG. */
    public String xpath(String expression) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(expression, xml());
    }
}
