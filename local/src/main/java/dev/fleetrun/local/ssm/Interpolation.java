package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetrun.local.wire.WireTree;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a document's placeholders in as SSM Agent does on the node:
 * <ul>
 *   <li>{@code {{ name }}} ({@link #parameters}): a string that is nothing but the placeholder becomes
 *       the parameter's value, whatever its type (so {@code runCommand: ["{{ commands }}"]} takes the
 *       whole StringList); inside a longer string the value is written in, as JSON unless it is a
 *       string (amazon-ssm-agent {@code agent/framework/docparser/parameters/parameters.go},
 *       {@code ReplaceParameters}).</li>
 *   <li>{@code {{ssm:name}}}, {@code {{ssm:name:version}}} ({@link #parameterStore}): the Parameter Store
 *       value, which the agent reads with the node's own credentials. A StringList parameter that is a
 *       whole item of a list becomes its comma-separated items; inside a longer string it is an error,
 *       as are unknown parameters and SecureString ones, whose values the agent refuses to put in a
 *       document ({@code agent/framework/docparser/parameterstore/parameterstore.go}, {@code parser.go}).</li>
 * </ul>
 */
final class Interpolation {
    /** A document parameter's placeholder; names are letters and digits (the agent's rule). */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z0-9]+)\\s*}}");
    /** A Parameter Store reference, as the agent matches it. */
    static final Pattern SSM_REFERENCE = Pattern.compile("\\{\\{ *ssm:([/\\w.:-]+) *}}");

    private Interpolation() {
    }

    /** The parameter names {@code text} refers to with {@code {{ name }}}. */
    static Set<String> references(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** {@code input} with every {@code {{ name }}} of a known parameter filled in (null stays null). */
    static JsonNode parameters(JsonNode input, Map<String, JsonNode> values) {
        if (input == null) {
            return null;
        }
        if (input.isTextual()) {
            String text = input.textValue();
            Matcher whole = PLACEHOLDER.matcher(text);
            if (whole.matches() && values.containsKey(whole.group(1))) {
                return values.get(whole.group(1)).deepCopy();
            }
            Matcher matcher = PLACEHOLDER.matcher(text);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                JsonNode value = values.get(matcher.group(1));
                matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group()
                        : SsmDocument.text(value)));
            }
            matcher.appendTail(out);
            return TextNode.valueOf(out.toString());
        }
        if (input.isArray()) {
            ArrayNode out = WireTree.JSON.createArrayNode();
            input.forEach(item -> out.add(parameters(item, values)));
            return out;
        }
        if (input.isObject()) {
            ObjectNode out = WireTree.object();
            input.properties().forEach(field -> out.set(field.getKey(), parameters(field.getValue(), values)));
            return out;
        }
        return input;
    }

    /** Looks a Parameter Store parameter up by name, with an optional {@code :version} selector. */
    interface Lookup {
        /** The parameter's type and value, or null when there is no such parameter (or version). */
        ParameterStore.Resolved find(String nameAndSelector);
    }

    /** Why the agent could not fill a document in: the invocation fails with this message. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /** {@code input} with every {@code {{ssm:...}}} replaced by its value (see the class comment). */
    static JsonNode parameterStore(JsonNode input, Lookup lookup) throws Failure {
        Set<String> names = new LinkedHashSet<>();
        collect(input, names);
        if (names.isEmpty()) {
            return input;
        }
        List<String> missing = new ArrayList<>();
        List<String> secure = new ArrayList<>();
        java.util.Map<String, ParameterStore.Resolved> found = new java.util.LinkedHashMap<>();
        for (String name : names) {
            ParameterStore.Resolved parameter = lookup.find(name);
            if (parameter == null) {
                missing.add(name);
            } else if (ParameterStore.SECURE_STRING.equals(parameter.type())) {
                secure.add(parameter.name());
            } else {
                found.put(name, parameter);
            }
        }
        if (!missing.isEmpty()) {
            throw new Failure("Input contains invalid parameters " + missing + " (Parameter Store has no such"
                    + " parameter or version)");
        }
        if (!secure.isEmpty()) {
            throw new Failure("Parameters " + secure + " of type SecureString are not supported: SSM Agent does not"
                    + " put SecureString values in Run Command documents; read them on the node instead");
        }
        return replace(input, found);
    }

    private static void collect(JsonNode input, Set<String> names) {
        if (input == null) {
            return;
        }
        if (input.isTextual()) {
            Matcher matcher = SSM_REFERENCE.matcher(input.textValue());
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        } else if (input.isContainerNode()) {
            input.forEach(item -> collect(item, names));
        }
    }

    private static JsonNode replace(JsonNode input, Map<String, ParameterStore.Resolved> found) throws Failure {
        if (input.isTextual()) {
            return TextNode.valueOf(replaceInString(input.textValue(), found));
        }
        if (input.isArray()) {
            ArrayNode out = WireTree.JSON.createArrayNode();
            for (JsonNode item : input) {
                Matcher whole = item.isTextual() ? SSM_REFERENCE.matcher(item.textValue()) : null;
                if (whole != null && whole.matches()
                        && ParameterStore.STRING_LIST.equals(found.get(whole.group(1)).type())) {
                    for (String part : found.get(whole.group(1)).value().split(",", -1)) {
                        out.add(part);
                    }
                } else {
                    out.add(replace(item, found));
                }
            }
            return out;
        }
        if (input.isObject()) {
            ObjectNode out = WireTree.object();
            for (Map.Entry<String, JsonNode> field : input.properties()) {
                out.set(field.getKey(), replace(field.getValue(), found));
            }
            return out;
        }
        return input;
    }

    private static String replaceInString(String text, Map<String, ParameterStore.Resolved> found) throws Failure {
        Matcher matcher = SSM_REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            ParameterStore.Resolved parameter = found.get(matcher.group(1));
            if (ParameterStore.STRING_LIST.equals(parameter.type())) {
                throw new Failure("Parameter " + parameter.name() + " of type StringList cannot be used as a String");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(parameter.value()));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
