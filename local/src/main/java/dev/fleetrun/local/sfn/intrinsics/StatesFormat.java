package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetrun.local.sfn.json.Json;

/** {@code States.Format}: the template with each {@code {}} replaced, in order, by the following arguments (strings as they are, other values as JSON text). In a template written as a literal, {@code \{}, {@code \}}, {@code \'} and {@code \\} stand for the character itself. */
public final class StatesFormat extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.variadic(of("value", ArgType.ANY), of("template", ArgType.STRING));

    @Override
    public String name() {
        return "States.Format";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        String source = args.literalSource(0);
        String template = source != null ? source : args.get(0).textValue();
        boolean escapes = source != null;
        StringBuilder out = new StringBuilder();
        int next = 1;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (escapes && c == '\\' && i + 1 < template.length()) {
                out.append(template.charAt(++i));
            } else if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                if (next >= args.size()) {
                    throw failure("the template has more {} placeholders than the " + (args.size() - 1) + " values given");
                }
                JsonNode value = args.get(next++);
                out.append(value.isTextual() ? value.textValue() : Json.text(value));
                i++;
            } else {
                out.append(c);
            }
        }
        if (next != args.size()) {
            throw failure("the template has " + (next - 1) + " {} placeholders but " + (args.size() - 1) + " values were given");
        }
        return TextNode.valueOf(out.toString());
    }
}
