package dev.fleetrun.local.sfn.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.fleetrun.local.sfn.json.Json;
import java.util.EnumSet;

/**
 * A Path of the States Language: JSONPath over the state's data ({@code $.orders[0].id}), over the context
 * object ({@code $$.Execution.Id}), or over a workflow variable ({@code $orders[0]}). Evaluated with Jayway
 * JsonPath, the implementation AWS Step Functions' own paths behave like: a definite path that selects nothing
 * is an error, an indefinite one ({@code [*]}, {@code ..}, filters) yields an array, possibly empty.
 *
 * <p>Compiled once, when the definition is parsed, so that a malformed path is reported as an invalid
 * definition rather than at run time.
 */
public final class AslPath {

    private static final Configuration JAYWAY = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
            .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
            .options(EnumSet.noneOf(Option.class))
            .build();

    /** What a path reads: the state's data, the context object or a variable. */
    public enum Source { DATA, CONTEXT, VARIABLE }

    private final String text;
    private final Source source;
    private final String variable;
    private final JsonPath compiled;

    private AslPath(String text, Source source, String variable, JsonPath compiled) {
        this.text = text;
        this.source = source;
        this.variable = variable;
        this.compiled = compiled;
    }

    /**
     * Compiles a path.
     *
     * @throws IllegalArgumentException with a message that says what is wrong, for a text that is not a path
     */
    public static AslPath compile(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("a path must start with '$', got '" + text + "'");
        }
        String unbalanced = unbalanced(text);
        if (unbalanced != null) {
            throw new IllegalArgumentException("'" + text + "' is not a valid JSONPath: " + unbalanced);
        }
        Source source;
        String variable = null;
        String jsonPath;
        if (text.startsWith("$$")) {
            source = Source.CONTEXT;
            jsonPath = text.substring(1);
        } else if (text.length() > 1 && isVariableStart(text.charAt(1))) {
            source = Source.VARIABLE;
            int end = 1;
            while (end < text.length() && isVariablePart(text.charAt(end))) {
                end++;
            }
            variable = text.substring(1, end);
            jsonPath = "$" + text.substring(end);
        } else {
            source = Source.DATA;
            jsonPath = text;
        }
        try {
            return new AslPath(text, source, variable, JsonPath.compile(jsonPath));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid JSONPath: " + e.getMessage(), e);
        }
    }

    /** Why brackets, parentheses or quotes do not pair up, or {@code null} when they do. */
    private static String unbalanced(String text) {
        java.util.ArrayDeque<Character> open = new java.util.ArrayDeque<>();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '(') {
                open.push(c);
            } else if (c == ']' || c == ')') {
                if (open.isEmpty() || open.pop() != (c == ']' ? '[' : '(')) {
                    return "'" + c + "' at position " + i + " closes nothing";
                }
            }
        }
        if (quote != 0) {
            return "a quoted name is not closed";
        }
        return open.isEmpty() ? null : "'" + open.peek() + "' is not closed";
    }

    /** Whether the text is a path of the data, the context object or a variable (starts with '$'). */
    public static boolean looksLikePath(String text) {
        return text != null && text.startsWith("$");
    }

    private static boolean isVariableStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isVariablePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** The path as written. */
    public String text() {
        return text;
    }

    /** What the path reads. */
    public Source source() {
        return source;
    }

    /** The variable name for a {@link Source#VARIABLE} path, else {@code null}. */
    public String variable() {
        return variable;
    }

    /** Whether the path always selects at most one node (no wildcard, deep scan, filter, slice or union). */
    public boolean isDefinite() {
        return compiled.isDefinite();
    }

    /**
     * Selects from {@code data} (or from the context object or a variable in {@code bindings}).
     *
     * @throws PathNotFoundException when a definite path selects nothing
     */
    public JsonNode select(JsonNode data, Bindings bindings) {
        JsonNode root = switch (source) {
            case DATA -> data;
            case CONTEXT -> bindings.context().get();
            case VARIABLE -> {
                JsonNode value = bindings.variables().apply(variable);
                if (value == null) {
                    throw new PathNotFoundException("the variable '$" + variable + "' is not defined");
                }
                yield value;
            }
        };
        if (jsonPathIsRoot()) {
            return root;
        }
        Object result;
        try {
            result = compiled.read(root, JAYWAY);
        } catch (com.jayway.jsonpath.PathNotFoundException e) {
            throw new PathNotFoundException("the path '" + text + "' selects nothing in " + Json.excerpt(root));
        } catch (RuntimeException e) {
            throw new PathNotFoundException("the path '" + text + "' cannot be applied to " + Json.excerpt(root)
                    + ": " + e.getMessage());
        }
        if (result instanceof JsonNode node) {
            return node;
        }
        return Json.MAPPER.valueToTree(result);
    }

    private boolean jsonPathIsRoot() {
        return compiled.getPath().equals("$");
    }

    @Override
    public String toString() {
        return text;
    }
}
