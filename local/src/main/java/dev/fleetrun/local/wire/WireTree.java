package dev.fleetrun.local.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The services build their answers as Jackson trees, with timestamps as {@link Instant}
 * values ({@code node.putPOJO("ExpiresAfter", instant)}); this class writes such a tree in the
 * encoding of a protocol: AWS JSON timestamps are epoch seconds, RPC v2 CBOR timestamps are epoch
 * seconds under CBOR tag 1, Query XML timestamps are ISO-8601 text.
 */
public final class WireTree {
    public static final ObjectMapper JSON = new ObjectMapper();

    private WireTree() {
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /**
     * A request member that holds JSON text (an event's Detail, a target's Input, an alarm's StateReasonData, an
     * SNS message structure), read as AWS reads it: one JSON value and nothing after it. Null when it is not.
     */
    public static JsonNode parseJsonText(String text) {
        try {
            JsonNode tree = JSON_TEXT.readTree(text);
            return tree == null || tree.isMissingNode() ? null : tree;
        } catch (IOException e) {
            return null;
        }
    }

    private static final ObjectMapper JSON_TEXT = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Writes {@code node} to {@code generator}, encoding {@link Instant} values as timestamps. */
    public static void write(JsonNode node, JsonGenerator generator) throws IOException {
        if (node instanceof POJONode pojo && pojo.getPojo() instanceof Instant instant) {
            BigDecimal epochSeconds = BigDecimal.valueOf(instant.toEpochMilli(), 3);
            if (generator instanceof CBORGenerator cbor) {
                cbor.writeTag(1);
                cbor.writeNumber(epochSeconds.doubleValue());
            } else {
                generator.writeNumber(epochSeconds);
            }
        } else if (node.isObject()) {
            generator.writeStartObject();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                generator.writeFieldName(field.getKey());
                write(field.getValue(), generator);
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                write(element, generator);
            }
            generator.writeEndArray();
        } else if (node instanceof POJONode pojo) {
            throw new IllegalArgumentException("WireTree can only write Instant values, not " + pojo.getPojo());
        } else {
            JSON.writeTree(generator, node);
        }
    }
}
