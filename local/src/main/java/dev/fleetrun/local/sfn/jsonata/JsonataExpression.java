package dev.fleetrun.local.sfn.jsonata;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.errors.StatesQueryEvaluationError;
import dev.fleetrun.local.sfn.json.Json;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One JSONata expression of a definition, written {@code {% ... %}}, compiled once (with the dashjoin
 * implementation of JSONata) and evaluated with {@code $states} and the workflow variables bound. Step
 * Functions' own functions are there too: {@code $partition}, {@code $range}, {@code $hash}, {@code $random},
 * {@code $uuid} and {@code $parse}; {@code $eval} is not, as in AWS.
 */
public final class JsonataExpression {

    private final String source;
    private final Jsonata compiled;

    private JsonataExpression(String source, Jsonata compiled) {
        this.source = source;
        this.compiled = compiled;
    }

    /** Whether a string is a JSONata expression ({@code {% ... %}}). */
    public static boolean isExpression(String text) {
        return text != null && text.startsWith("{%") && text.endsWith("%}") && text.length() >= 4;
    }

    /**
     * Compiles {@code {% expression %}}.
     *
     * @throws IllegalArgumentException with the parser's message when it does not compile
     */
    public static JsonataExpression compile(String text) {
        String body = text.substring(2, text.length() - 2).trim();
        if (body.isEmpty()) {
            throw new IllegalArgumentException("the JSONata expression '" + text + "' is empty");
        }
        try {
            Jsonata compiled = Jsonata.jsonata(body);
            registerStepFunctionsFunctions(compiled);
            return new JsonataExpression(text, compiled);
        } catch (JException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid JSONata expression: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid JSONata expression: " + e, e);
        }
    }

    /** The expression as written. */
    public String source() {
        return source;
    }

    /**
     * Evaluates the expression. An undefined result is {@code MissingNode}.
     *
     * @throws StatesQueryEvaluationError when the expression fails
     */
    public JsonNode evaluate(StatesView view, String field) {
        Object value;
        try {
            synchronized (compiled) {
                Jsonata.Frame frame = compiled.createFrame();
                ObjectNode states = Json.object();
                states.set("input", view.input());
                if (view.result() != null) {
                    states.set("result", view.result());
                }
                if (view.errorOutput() != null) {
                    states.set("errorOutput", view.errorOutput());
                }
                states.set("context", view.context().get());
                frame.bind("states", toJava(states));
                for (Map.Entry<String, JsonNode> variable : view.variables().entrySet()) {
                    frame.bind(variable.getKey(), toJava(variable.getValue()));
                }
                value = compiled.evaluate(null, frame);
            }
        } catch (JException e) {
            throw new StatesQueryEvaluationError("The JSONata expression '" + source + "' in the field '" + field
                    + "' failed: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new StatesQueryEvaluationError("The JSONata expression '" + source + "' in the field '" + field
                    + "' failed: " + e);
        }
        if (value == null) {
            return MissingNode.getInstance();
        }
        if (value == Jsonata.NULL_VALUE) {
            return com.fasterxml.jackson.databind.node.NullNode.instance;
        }
        try {
            return Json.MAPPER.valueToTree(normalise(value));
        } catch (IllegalArgumentException e) {
            throw new StatesQueryEvaluationError("The JSONata expression '" + source + "' in the field '" + field
                    + "' returned something that is not JSON (" + value.getClass().getSimpleName() + ")");
        }
    }

    private static Object toJava(JsonNode node) {
        if (node == null || node.isNull()) {
            return Jsonata.NULL_VALUE;
        }
        return normaliseNulls(Json.MAPPER.convertValue(node, Object.class));
    }

    private static Object normaliseNulls(Object value) {
        if (value == null) {
            return Jsonata.NULL_VALUE;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), normaliseNulls(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(normaliseNulls(v)));
            return out;
        }
        return value;
    }

    private static Object normalise(Object value) {
        if (value == Jsonata.NULL_VALUE) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), normalise(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(normalise(v)));
            return out;
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return d.longValue();
        }
        return value;
    }

    private static void registerStepFunctionsFunctions(Jsonata compiled) {
        compiled.registerFunction("partition", (Jsonata.Fn2<List<Object>, Number, Object>) (array, size) -> {
            List<Object> chunks = new ArrayList<>();
            int n = size.intValue();
            if (n <= 0) {
                throw new IllegalArgumentException("$partition needs a positive size");
            }
            for (int i = 0; i < array.size(); i += n) {
                chunks.add(new ArrayList<>(array.subList(i, Math.min(array.size(), i + n))));
            }
            return chunks;
        });
        compiled.registerFunction("range", (Jsonata.Fn2<Number, Number, Object>) (start, end) -> {
            List<Object> range = new ArrayList<>();
            for (long v = start.longValue(); v <= end.longValue() && range.size() < 1000; v++) {
                range.add(v);
            }
            return range;
        });
        compiled.registerFunction("hash", (Jsonata.Fn2<String, String, Object>) (data, algorithm) -> {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("$hash: unknown algorithm " + algorithm);
            }
        });
        compiled.registerFunction("eval", (Jsonata.Fn1<Object, Object>) expression -> {
            throw new IllegalArgumentException("$eval is not available in Step Functions; use $parse for JSON text");
        });
        compiled.registerFunction("random", (Jsonata.Fn0<Object>) () -> ThreadLocalRandom.current().nextDouble());
        compiled.registerFunction("uuid", (Jsonata.Fn0<Object>) () -> UUID.randomUUID().toString());
        compiled.registerFunction("parse", (Jsonata.Fn1<String, Object>) text -> {
            try {
                return normaliseNulls(Json.MAPPER.readValue(text, Object.class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("$parse: not JSON: " + e.getOriginalMessage());
            }
        });
    }
}
