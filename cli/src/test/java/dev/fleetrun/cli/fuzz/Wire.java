package dev.fleetrun.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One protocol of the endpoint, as a fuzz case needs it: how a request of an operation is framed (the headers that
 * route it, the path) and what an error answer must look like in that protocol, the shape an SDK reads its
 * exception from.
 */
enum Wire {
    JSON_1_0("application/x-amz-json-1.0"),
    JSON_1_1("application/x-amz-json-1.1"),
    QUERY("application/x-www-form-urlencoded; charset=utf-8"),
    CBOR("application/cbor"),
    /** S3's REST-XML: what the endpoint answers a request that names no other protocol. */
    REST_XML("application/octet-stream");

    final String contentType;

    Wire(String contentType) {
        this.contentType = contentType;
    }

    /** The headers (and path) that send {@code body} to {@code operation} of the service under {@code prefix}. */
    Map<String, String> headers(String prefix, String operation) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        switch (this) {
            case JSON_1_0, JSON_1_1 -> headers.put("X-Amz-Target", prefix + "." + operation);
            case CBOR -> {
                headers.put("smithy-protocol", "rpc-v2-cbor");
                headers.put("Accept", "application/cbor");
            }
            case QUERY, REST_XML -> { }
        }
        return headers;
    }

    String path(String prefix, String operation) {
        return this == CBOR ? "/service/" + prefix + "/operation/" + operation : "/";
    }

    /**
     * Checks that {@code answer} is an error in this protocol's shape, and no stack trace; returns its code.
     * The AWS JSON answers of DynamoDB Local name the message {@code Message} at times; both spellings are the SDK's.
     */
    String errorCode(RawHttp.Answer answer) {
        String text = answer.text();
        assertFalse(text.contains("\tat ") || text.matches("(?s).*\\.java:\\d+\\).*"), "a stack trace: " + text);
        String contentType = answer.header("Content-Type");
        assertNotNull(contentType, "no Content-Type: " + answer);
        return switch (this) {
            case JSON_1_0, JSON_1_1 -> {
                assertTrue(contentType.startsWith("application/x-amz-json-1."), "an AWS JSON error, not " + contentType);
                JsonNode body = parse(() -> BadBytes.JSON.readTree(answer.body()), answer);
                assertTrue(body.path("__type").isTextual() && !body.path("__type").asText().isEmpty(), "no __type: " + text);
                assertTrue(body.path("message").isTextual() || body.path("Message").isTextual(), "no message: " + text);
                yield body.get("__type").asText().replaceFirst("^.*#", "");
            }
            case QUERY -> {
                assertTrue(contentType.startsWith("text/xml"), "a Query error is XML, not " + contentType);
                Document xml = parse(() -> xml(answer.body()), answer);
                assertEquals("ErrorResponse", xml.getDocumentElement().getTagName(), text);
                Element error = (Element) xml.getElementsByTagName("Error").item(0);
                assertNotNull(error, text);
                assertEquals("Sender", error.getElementsByTagName("Type").item(0).getTextContent(), text);
                assertNotNull(error.getElementsByTagName("Message").item(0), text);
                String code = error.getElementsByTagName("Code").item(0).getTextContent();
                assertFalse(code.isBlank(), text);
                yield code;
            }
            case REST_XML -> {
                assertTrue(contentType.startsWith("application/xml"), "an S3 error is XML, not " + contentType);
                Document xml = parse(() -> xml(answer.body()), answer);
                assertEquals("Error", xml.getDocumentElement().getTagName(), text);
                assertNotNull(xml.getElementsByTagName("Message").item(0), text);
                String code = xml.getElementsByTagName("Code").item(0).getTextContent();
                assertFalse(code.isBlank(), text);
                yield code;
            }
            case CBOR -> {
                assertEquals("application/cbor", contentType, text);
                assertEquals("rpc-v2-cbor", answer.header("smithy-protocol"), "the RPC v2 header");
                JsonNode body = parse(() -> BadBytes.CBOR.readTree(answer.body()), answer);
                assertTrue(body.path("__type").isTextual() && body.path("message").isTextual(), "no __type/message: " + body);
                String queryError = answer.header("x-amzn-query-error");
                assertTrue(queryError != null && queryError.matches("[A-Za-z.]+;Sender"),
                        "CloudWatch's legacy code in x-amzn-query-error: " + queryError);
                yield body.get("__type").asText();
            }
        };
    }

    private interface Parse<T> {
        T run() throws Exception;
    }

    private static <T> T parse(Parse<T> parse, RawHttp.Answer answer) {
        try {
            return parse.run();
        } catch (Exception e) {
            throw new AssertionError("the error body does not parse in its protocol (" + e.getMessage() + "): " + answer, e);
        }
    }

    private static Document xml(byte[] body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    }
}
