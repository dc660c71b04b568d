package dev.fleetrun.local.sfn.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetrun.local.sfn.errors.StatesIntrinsicFailure;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.path.AslPath;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an intrinsic invocation: {@code States.Name(arg, ...)} where each argument is a string literal in
 * single quotes (escapes {@code \'}, {@code \{}, {@code \}}, {@code \\}), a number, {@code true},
 * {@code false}, {@code null}, a path ({@code $.x}, {@code $$.Task.Token}, {@code $var}) or another
 * invocation. Unknown functions, wrong argument counts and literal arguments of the wrong kind are reported
 * here, so that they make the definition invalid instead of failing an execution.
 */
public final class IntrinsicParser {

    private final String text;
    private int pos;

    private IntrinsicParser(String text) {
        this.text = text;
    }

    /** Whether a string is written as an intrinsic invocation (starts with {@code States.} and a name and '('). */
    public static boolean looksLikeInvocation(String text) {
        return text != null && text.matches("(?s)\\s*States\\.[A-Za-z0-9]+\\s*\\(.*");
    }

    /**
     * Parses one invocation.
     *
     * @throws IllegalArgumentException with a message that names the problem and its position
     */
    public static IntrinsicExpression.Call parse(String text) {
        IntrinsicParser parser = new IntrinsicParser(text);
        parser.skipSpaces();
        IntrinsicExpression.Call call = parser.call();
        parser.skipSpaces();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected text after the invocation");
        }
        return call;
    }

    private IntrinsicExpression.Call call() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        String name = text.substring(start, pos);
        IntrinsicFunction function = IntrinsicFunctions.find(name).orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not an intrinsic function (known: " + String.join(", ", IntrinsicFunctions.names()) + ")"));
        skipSpaces();
        expect('(');
        List<IntrinsicExpression> arguments = new ArrayList<>();
        skipSpaces();
        if (peek() == ')') {
            pos++;
        } else {
            while (true) {
                skipSpaces();
                arguments.add(argument());
                skipSpaces();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ')') {
                    pos++;
                    break;
                } else {
                    throw error("expected ',' or ')'");
                }
            }
        }
        try {
            function.checkCount(arguments.size());
            for (int i = 0; i < arguments.size(); i++) {
                if (arguments.get(i) instanceof IntrinsicExpression.Literal literal
                        && !function.signature().param(i).type().accepts(literal.value())) {
                    Param param = function.signature().param(i);
                    throw new IllegalArgumentException(name + ": argument " + (i + 1) + " (" + param.name() + ") must be "
                            + param.type().description() + ", got " + Json.excerpt(literal.value()));
                }
            }
        } catch (StatesIntrinsicFailure e) {
            throw new IllegalArgumentException(e.errorCause(), e);
        }
        return new IntrinsicExpression.Call(function, List.copyOf(arguments));
    }

    private IntrinsicExpression argument() {
        char c = peek();
        if (c == '\'') {
            return stringLiteral();
        }
        if (c == '$') {
            return path();
        }
        if (text.startsWith("States.", pos)) {
            return call();
        }
        int start = pos;
        while (pos < text.length() && ",) \t\n".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String token = text.substring(start, pos);
        switch (token) {
            case "true":
                return new IntrinsicExpression.Literal(BooleanNode.TRUE, null);
            case "false":
                return new IntrinsicExpression.Literal(BooleanNode.FALSE, null);
            case "null":
                return new IntrinsicExpression.Literal(NullNode.instance, null);
            default:
                if (token.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
                    try {
                        JsonNode number = Json.parse(token);
                        return new IntrinsicExpression.Literal(number, null);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw errorAt(start, "'" + token + "' is not a number");
                    }
                }
                throw errorAt(start, "'" + token + "' is not an argument (expected 'string', a number, true, false, null, a path or States.Function(...))");
        }
    }

    private IntrinsicExpression stringLiteral() {
        int start = pos;
        pos++;
        StringBuilder value = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\') {
                if (pos + 1 >= text.length()) {
                    throw errorAt(pos, "a backslash at the end of the string escapes nothing");
                }
                char escaped = text.charAt(pos + 1);
                if ("'{}\\".indexOf(escaped) < 0) {
                    throw errorAt(pos, "'\\" + escaped + "' is not an escape (only \\', \\{, \\} and \\\\ are)");
                }
                value.append(escaped);
                pos += 2;
            } else if (c == '\'') {
                pos++;
                String source = text.substring(start + 1, pos - 1);
                return new IntrinsicExpression.Literal(TextNode.valueOf(value.toString()), source);
            } else {
                value.append(c);
                pos++;
            }
        }
        throw errorAt(start, "the string literal is not closed with '");
    }

    private IntrinsicExpression path() {
        int start = pos;
        int depth = 0;
        char quote = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || (c == ')' && depth > 0)) {
                depth--;
            } else if (depth == 0 && (c == ',' || c == ')' || Character.isWhitespace(c))) {
                break;
            }
            pos++;
        }
        String pathText = text.substring(start, pos);
        try {
            return new IntrinsicExpression.PathArgument(AslPath.compile(pathText));
        } catch (IllegalArgumentException e) {
            throw errorAt(start, e.getMessage());
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("the invocation ends too early");
        }
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String why) {
        return errorAt(pos, why);
    }

    private IllegalArgumentException errorAt(int at, String why) {
        return new IllegalArgumentException("invalid intrinsic invocation '" + text + "' at position " + at + ": " + why);
    }
}
