package dev.fleetrun.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.errors.AslError;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB attribute values between their JSON form in a state machine ({@code {"S": "x"}}, {@code {"N": "1"}},
 * {@code {"M": {...}}} ...) and the SDK's {@link AttributeValue}.
 */
final class AttributeValues {
    private AttributeValues() {
    }

    /** A map of attribute values ({@code Item}, {@code Key}, {@code ExpressionAttributeValues}). */
    static Map<String, AttributeValue> map(JsonNode json, String member) {
        if (json == null || !json.isObject()) {
            throw invalid(member + " must be an object of attribute values, got " + json);
        }
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        json.properties().forEach(e -> values.put(e.getKey(), value(e.getValue(), member + "." + e.getKey())));
        return values;
    }

    static AttributeValue value(JsonNode json, String member) {
        if (json == null || !json.isObject() || json.size() != 1) {
            throw invalid("Supplied AttributeValue at " + member + " is not an object with exactly one of the supported"
                    + " datatypes (S, N, B, SS, NS, BS, M, L, NULL, BOOL): " + json);
        }
        Map.Entry<String, JsonNode> typed = json.properties().iterator().next();
        JsonNode v = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> AttributeValue.fromS(v.asText());
            case "N" -> AttributeValue.fromN(v.asText());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.asText())));
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "NULL" -> AttributeValue.fromNul(true);
            case "SS" -> AttributeValue.fromSs(texts(v));
            case "NS" -> AttributeValue.fromNs(texts(v));
            case "BS" -> AttributeValue.fromBs(texts(v).stream()
                    .map(b -> SdkBytes.fromByteArray(Base64.getDecoder().decode(b))).toList());
            case "M" -> AttributeValue.fromM(map(v, member));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                int i = 0;
                for (JsonNode element : v) {
                    list.add(value(element, member + "[" + i++ + "]"));
                }
                yield AttributeValue.fromL(list);
            }
            default -> throw invalid("Supplied AttributeValue at " + member + " has the unknown datatype '"
                    + typed.getKey() + "'");
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    static ObjectNode json(Map<String, AttributeValue> values) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        values.forEach((name, value) -> json.set(name, json(value)));
        return json;
    }

    static ObjectNode json(AttributeValue value) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        switch (value.type()) {
            case S -> json.put("S", value.s());
            case N -> json.put("N", value.n());
            case B -> json.put("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case BOOL -> json.put("BOOL", value.bool());
            case NUL -> json.put("NULL", true);
            case SS -> value.ss().forEach(json.putArray("SS")::add);
            case NS -> value.ns().forEach(json.putArray("NS")::add);
            case BS -> {
                ArrayNode binaries = json.putArray("BS");
                value.bs().forEach(b -> binaries.add(Base64.getEncoder().encodeToString(b.asByteArray())));
            }
            case M -> json.set("M", json(value.m()));
            case L -> {
                ArrayNode list = json.putArray("L");
                value.l().forEach(element -> list.add(json(element)));
            }
            default -> throw new IllegalStateException("an attribute value of an unknown type: " + value);
        }
        return json;
    }

    /** DynamoDB refuses such a value with a ValidationException, which Step Functions names this way. */
    private static AslError invalid(String message) {
        return AslError.of(DynamoDbItemInvoker.GENERIC_ERROR, message);
    }
}
