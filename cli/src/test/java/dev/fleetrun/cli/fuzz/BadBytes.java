package dev.fleetrun.cli.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Bodies no protocol handler may take, made deterministically from a seeded {@link Random}: each generator returns
 * bytes that are, by construction, not one well-formed body of its protocol (cut short, not UTF-8, nested too deep,
 * something after the value, a byte that begins nothing), so the endpoint must refuse every one. Plus the wrong-type
 * mutations of a valid request, member by member.
 */
final class BadBytes {
    static final ObjectMapper JSON = new ObjectMapper();
    static final CBORMapper CBOR = new CBORMapper();
    /** Deeper than any limit: what the issue asks for. */
    static final int VERY_DEEP = 10_000;

    private static final byte[][] NOT_UTF8 = {
        {(byte) 0xC3, 0x28},                     // a lead byte followed by no continuation
        {(byte) 0xFF},                           // never in UTF-8
        {(byte) 0x80},                           // a lone continuation byte
        {(byte) 0xC0, (byte) 0xAF},              // an overlong '/'
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a UTF-16 surrogate
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
        {(byte) 0xE2, (byte) 0x82},              // cut short
    };

    private BadBytes() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] json(JsonNode tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] cbor(JsonNode tree) {
        try {
            return CBOR.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- any protocol

    /** Random bytes, at least 8 of them (no chance of a tiny body that happens to be well-formed). */
    static byte[] noise(Random random) {
        byte[] bytes = new byte[8 + random.nextInt(505)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A strict prefix of {@code whole}: a JSON object, CBOR map or form cut before its end. */
    static byte[] truncated(Random random, byte[] whole) {
        return java.util.Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1));
    }

    /** {@code whole} with a byte sequence that is not UTF-8 put in at a random place. */
    static byte[] notUtf8(Random random, byte[] whole) {
        byte[] bad = NOT_UTF8[random.nextInt(NOT_UTF8.length)];
        int at = 1 + random.nextInt(whole.length - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(whole, 0, at);
        out.writeBytes(bad);
        out.write(whole, at, whole.length - at);
        return out.toByteArray();
    }

    /** {@code whole} with one byte changed at random: it may still parse, so only "survives" is asked of these. */
    static byte[] flipped(Random random, byte[] whole) {
        byte[] copy = whole.clone();
        copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        return copy;
    }

    // ---- JSON

    /** A JSON text that is not one JSON object, or not JSON at all. */
    static byte[] badJson(Random random, byte[] valid) {
        String text = new String(valid, StandardCharsets.UTF_8);
        return switch (random.nextInt(14)) {
            case 0 -> truncated(random, valid);
            case 1 -> notUtf8(random, valid);
            case 2 -> text.getBytes(random.nextBoolean() ? StandardCharsets.UTF_16 : StandardCharsets.UTF_16LE);
            case 3 -> utf8(text + (random.nextBoolean() ? "x" : " {}"));           // something after the object
            case 4 -> utf8(List.of("[]", "\"x\"", "1", "null", "true", "[{}]").get(random.nextInt(6)));
            case 5 -> utf8("{\"a\":" + "[".repeat(101 + random.nextInt(VERY_DEEP)) + "}"); // deep and unclosed
            case 6 -> deepJson(101 + random.nextInt(VERY_DEEP), random.nextBoolean());
            case 7 -> utf8("{\"a\":1,\"a\":2}");                                   // one member twice
            case 8 -> utf8("{\"a\":" + List.of("01", "-", "1.", ".5", "1e", "NaN", "Infinity", "0x10", "+1")
                    .get(random.nextInt(9)) + "}");
            case 9 -> utf8("{\"a\":\"" + (char) random.nextInt(0x20) + "\"}");     // a raw control character
            case 10 -> utf8("{'a':1}");
            case 11 -> utf8("{\"a\":1,}");
            case 12 -> utf8("{\"a\":" + "9".repeat(1001 + random.nextInt(5000)) + "}");
            default -> utf8(text.replaceFirst("\\{", "{\"a\" 1,"));
        };
    }

    /** An object holding arrays or objects nested {@code depth} levels, well-formed otherwise. */
    static byte[] deepJson(int depth, boolean objects) {
        StringBuilder b = new StringBuilder("{\"a\":");
        b.append((objects ? "{\"a\":" : "[").repeat(depth)).append("1");
        b.append((objects ? "}" : "]").repeat(depth)).append("}");
        return utf8(b.toString());
    }

    // ---- CBOR

    /** Bytes that are not one CBOR map (or not CBOR at all). */
    static byte[] badCbor(Random random, byte[] valid) {
        return switch (random.nextInt(12)) {
            case 0 -> truncated(random, valid);
            case 1 -> bytes(0xBF, 0x61, 'a', 0x01);                                  // an indefinite map never closed
            case 2 -> bytes(0xA1, 0x61, 'a', 0x7F, 0x41, 0x00, 0xFF);                // a byte chunk in a text string
            case 3 -> deepCbor(101 + random.nextInt(VERY_DEEP), random.nextBoolean());
            case 4 -> bytes(0xA1, 0x61, 'a', 0x7B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF); // 2^63 bytes of text
            case 5 -> bytes(0xA1, 0x61, 'a', 0x62, 0xC3, 0x28);                      // text that is not UTF-8
            case 6 -> bytes(0xA1, 0x61, 'a', 0x1C + random.nextInt(3));               // reserved additional information
            case 7 -> bytes(0xFF);                                                    // a break that closes nothing
            case 8 -> List.of(bytes(0x80), bytes(0x01), bytes(0x61, 'x'), bytes(0xF6)).get(random.nextInt(4));
            case 9 -> concat(valid, bytes(random.nextInt(256)));                     // something after the map
            case 10 -> bytes(0xA2, 0x61, 'a', 0x01, 0x61, 'a', 0x02);                // one key twice
            default -> bytes(0xA1, 0x61, 'a', 0x9F, 0x01, 0x02);                     // an indefinite array never closed
        };
    }

    /** A map holding arrays (or maps) nested {@code depth} levels, definite or indefinite lengths at random. */
    static byte[] deepCbor(int depth, boolean indefinite) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(0xA1, 0x61, 'a'));
        for (int i = 0; i < depth; i++) {
            out.write(indefinite ? 0x9F : 0x81);
        }
        out.write(0x01);
        if (indefinite) {
            for (int i = 0; i < depth; i++) {
                out.write(0xFF);
            }
        }
        return out.toByteArray();
    }

    // ---- the Query protocol

    /** A form that breaks the form-encoding rules somewhere: a bad escape, bytes not UTF-8, a parameter twice. */
    static byte[] badForm(Random random, String valid) {
        int at = random.nextInt(valid.length() + 1);
        String before = valid.substring(0, at);
        String after = valid.substring(at);
        return switch (random.nextInt(7)) {
            case 0 -> utf8(before + List.of("%", "%G1", "%1", "%%", "%zz", "%-1").get(random.nextInt(6)) + after);
            case 1 -> utf8(before + List.of("%C3%28", "%FF", "%80", "%C0%AF", "%ED%A0%80", "%E2%82").get(random.nextInt(6))
                    + after);
            case 2 -> notUtf8(random, utf8(valid));
            case 3 -> utf8(valid + "&" + valid.split("&")[random.nextInt(valid.split("&").length)]); // a parameter twice
            case 4 -> utf8(valid + "&=" + random.nextInt(1000));                      // a parameter without a name
            case 5 -> utf8(valid.replaceAll("&?Action=[^&]*", ""));                    // no Action
            default -> utf8(valid.replaceAll("Action=[A-Za-z]*", "Action=" + List.of("", "Nope", "publish", "Publish%00",
                    "CreateTopic%20").get(random.nextInt(5))));
        };
    }

    // ---- wrong types

    /**
     * Every copy of {@code request} with one member (at any depth, list elements included) replaced by a value of
     * another JSON type: a number or a structure where a string belongs, a string where a list belongs, and so on.
     * Never null (AWS reads null as absent), never a string that spells the same value.
     */
    static List<JsonNode> wrongTypes(JsonNode request) {
        List<JsonNode> mutations = new ArrayList<>();
        collect(request, request, new ArrayList<>(), mutations);
        return mutations;
    }

    private static void collect(JsonNode root, JsonNode node, List<Object> path, List<JsonNode> out) {
        if (!path.isEmpty()) {
            for (JsonNode other : othersThan(node)) {
                out.add(replaced(root, path, other));
            }
        }
        if (node.isObject()) {
            node.properties().forEach(e -> {
                List<Object> child = new ArrayList<>(path);
                child.add(e.getKey());
                collect(root, e.getValue(), child, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> child = new ArrayList<>(path);
                child.add(i);
                collect(root, node.get(i), child, out);
            }
        }
    }

    private static List<JsonNode> othersThan(JsonNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> all = new ArrayList<>();
        if (!node.isTextual()) {
            all.add(f.textNode("fuzz"));
        }
        if (!node.isNumber()) {
            all.add(f.numberNode(7));
        }
        if (!node.isBoolean()) {
            all.add(f.booleanNode(true));
        }
        if (!node.isObject()) {
            all.add(f.objectNode().put("fuzz", "fuzz"));
        }
        if (!node.isArray()) {
            all.add(f.arrayNode().add("fuzz"));
        }
        return all;
    }

    private static JsonNode replaced(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode copy = root.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < path.size() - 1; i++) {
            Object step = path.get(i);
            parent = step instanceof String name ? parent.get(name) : parent.get((Integer) step);
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof String name) {
            ((ObjectNode) parent).set(name, value);
        } else {
            ((ArrayNode) parent).set((Integer) last, value);
        }
        return copy;
    }

    // ---- bytes

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
