package dev.fleetrun.local.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The AWS Query protocol (SNS): a form-encoded body with {@code Action=<Operation>} and
 * {@code Version}, answered with XML in the service's namespace:
 * {@code <PublishResponse xmlns=...><PublishResult>...</PublishResult><ResponseMetadata>...}.
 * Errors are {@code <ErrorResponse><Error><Type/><Code/><Message/></Error>}.
 * Members decode flat, as the form names them ({@code MessageAttributes.entry.1.Name}).
 */
public final class AwsQueryProtocol implements WireProtocol {
    private final String namespace;

    /** @param namespace the service's XML namespace, e.g. {@code http://sns.amazonaws.com/doc/2010-03-31/} */
    public AwsQueryProtocol(String namespace) {
        this.namespace = namespace;
    }

    /** The form fields of a query request, in order. */
    public static ObjectNode form(byte[] body) {
        ObjectNode fields = WireTree.object();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(name, value);
        }
        return fields;
    }

    @Override
    public JsonNode decode(byte[] body) {
        return form(body);
    }

    @Override
    public WireResponse encode(String operation, JsonNode output, String requestId) {
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n");
        xml.append("<").append(operation).append("Response xmlns=\"").append(namespace).append("\">");
        xml.append("<").append(operation).append("Result>");
        members(output, xml);
        xml.append("</").append(operation).append("Result>");
        xml.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
        xml.append("</").append(operation).append("Response>");
        return response(200, xml, requestId);
    }

    @Override
    public AuthErrors authErrors() {
        return AuthErrors.QUERY;
    }

    @Override
    public WireResponse encodeError(AwsError error, String requestId) {
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n");
        xml.append("<ErrorResponse xmlns=\"").append(namespace).append("\"><Error>");
        xml.append("<Type>").append(error.httpStatus() >= 500 ? "Receiver" : "Sender").append("</Type>");
        xml.append("<Code>").append(escape(error.queryCode())).append("</Code>");
        xml.append("<Message>").append(escape(error.getMessage())).append("</Message>");
        xml.append("</Error><RequestId>").append(requestId).append("</RequestId></ErrorResponse>");
        return response(error.httpStatus(), xml, requestId);
    }

    private static WireResponse response(int status, StringBuilder xml, String requestId) {
        return new WireResponse(status, "text/xml", Map.of("x-amzn-RequestId", requestId),
                xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A map member ({@code SubscriptionAttributesMap}, ...), which Query XML writes as
     * {@code <entry><key/><value/></entry>} elements.
     */
    public static POJONode map(Map<String, String> entries) {
        return new POJONode(new java.util.TreeMap<>(entries));
    }

    /** Object members become elements, list elements become {@code <member>}s, {@link #map}s {@code <entry>}s. */
    private static void members(JsonNode node, StringBuilder xml) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            xml.append("<").append(field.getKey()).append(">");
            value(field.getValue(), xml);
            xml.append("</").append(field.getKey()).append(">");
        }
    }

    private static void value(JsonNode node, StringBuilder xml) {
        if (node instanceof POJONode pojo && pojo.getPojo() instanceof Instant instant) {
            xml.append(instant);
        } else if (node instanceof POJONode pojo && pojo.getPojo() instanceof Map<?, ?> map) {
            map.forEach((key, entry) -> xml.append("<entry><key>").append(escape(key.toString())).append("</key><value>")
                    .append(escape(entry.toString())).append("</value></entry>"));
        } else if (node.isObject()) {
            members(node, xml);
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                xml.append("<member>");
                value(element, xml);
                xml.append("</member>");
            }
        } else {
            xml.append(escape(node.asText()));
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&apos;");
    }
}
