package dev.fleetrun.local.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
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

    /**
     * The form fields of a query request, in order. The body is read as AWS reads it: ASCII or UTF-8 text of
     * {@code name=value} pairs joined by {@code &}, {@code +} for a space, {@code %XY} for a byte, the bytes of each
     * name and value UTF-8, each name once. Anything else is refused with {@code InvalidQueryParameter}, AWS's
     * error for a query string that does not follow these rules, naming where it goes wrong.
     */
    public static ObjectNode form(byte[] body) {
        ObjectNode fields = WireTree.object();
        int[] bad = new int[1];
        String text = ParseProblems.strictUtf8(body, bad);
        if (text == null) {
            throw invalid("the bytes at offset " + bad[0] + " are not UTF-8");
        }
        int start = 0;
        for (String pair : text.split("&", -1)) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), start);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), start + eq + 1);
                if (name.isEmpty()) {
                    throw invalid("the parameter at character " + start + " has no name");
                }
                if (fields.has(name)) {
                    throw invalid("parameter '" + shorten(name) + "' appears more than once");
                }
                fields.put(name, value);
            }
            start += pair.length() + 1;
        }
        return fields;
    }

    /** One form-encoded name or value; {@code at} is where it begins in the body, for the message. */
    private static String decode(String encoded, int at) {
        if (encoded.indexOf('%') < 0 && encoded.indexOf('+') < 0) {
            return encoded;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 1 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw invalid("'%' at character " + (at + i) + " is not followed by two hexadecimal digits");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < encoded.length()) {
                    utf8 = encoded.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        int[] bad = new int[1];
        String decoded = ParseProblems.strictUtf8(bytes.toByteArray(), bad);
        if (decoded == null) {
            throw invalid("the %-escapes of the parameter at character " + at + " are not UTF-8");
        }
        return decoded;
    }

    private static AwsError invalid(String what) {
        return AwsError.of("InvalidQueryParameter", "The query string is malformed: " + what
                + ". Send form-encoded name=value pairs, as the AWS SDKs do.");
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
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
    public HttpErrors httpErrors() {
        return HttpErrors.QUERY;
    }

    @Override
    public String mediaType() {
        return "application/x-www-form-urlencoded";
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

    /**
     * Text as XML 1.0 element content. Characters XML 1.0 cannot hold even escaped (most control characters, lone
     * surrogates, U+FFFE and U+FFFF; a message may quote them from a bad request) are written as {@code U+XXXX}, so
     * the answer stays XML an SDK can read.
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1));
                    if (pair) {
                        out.append(c).append(text.charAt(++i));
                    } else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c < 0xFFFE)) {
                        out.append(c);
                    } else {
                        out.append(String.format("U+%04X", (int) c));
                    }
                }
            }
        }
        return out.toString();
    }
}
