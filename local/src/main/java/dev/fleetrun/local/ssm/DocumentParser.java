package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.WireTree;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the content of a Command document (JSON or YAML) into an {@link SsmDocument}, refusing what
 * SSM refuses with {@code InvalidDocumentContent} and a message that names every problem and where
 * it is ({@code mainSteps[1].inputs.runCommand: ...}). What it checks, after the User Guide's "Data
 * elements and parameters", "Schema features" and "Command document plugin reference"
 * (shared/reference/ssm-run-command.md §7):
 * <ul>
 *   <li>{@code schemaVersion} 1.2 ({@code runtimeConfig}), 2.0 or 2.2 ({@code mainSteps}, run in order);
 *       another version is {@code InvalidDocumentSchemaVersion};</li>
 *   <li>{@code parameters}: names of letters and digits, a {@code type} of the six, a {@code default}
 *       of that type, a compilable {@code allowedPattern}, known fields only;</li>
 *   <li>steps: a unique {@code name}, an {@code action}, the plugin's inputs ({@code runCommand} required,
 *       {@code workingDirectory}, {@code timeoutSeconds}, and the shared {@code onFailure}
 *       ({@code exit} | {@code successAndExit}), {@code onSuccess} ({@code exit}), {@code finallyStep});
 *       {@code precondition} only as {@code StringEquals} with two arguments, from schema 2.2;</li>
 *   <li>every {@code {{ name }}} names a declared parameter, and a parameter used in an input has a
 *       type the input takes (String or StringList in runCommand, String elsewhere).</li>
 * </ul>
 * Automation's step fields ({@code isEnd}, {@code nextStep}, {@code onCancel}, ...) are refused with a
 * pointer to the Command equivalents. Plugins other than the two script plugins are valid SSM but
 * not run by the simulated nodes: {@code NotImplementedLocally}.
 */
final class DocumentParser {
    static final int MAX_CONTENT_BYTES = 64 * 1024;
    static final List<String> SCHEMA_VERSIONS = List.of("1.2", "2.0", "2.2");
    /** The Command plugins of the plugin reference; only the two script plugins run here. */
    static final Set<String> PLUGINS = Set.of("aws:applications", "aws:cloudWatch", "aws:configureDocker",
            "aws:configurePackage", "aws:domainJoin", "aws:downloadContent", "aws:psModule", "aws:refreshAssociation",
            "aws:runDockerAction", "aws:runDocument", "aws:runPowerShellScript", "aws:runShellScript",
            "aws:softwareInventory", "aws:updateAgent", "aws:updateSsmAgent");
    private static final Set<String> TOP_LEVEL = Set.of("schemaVersion", "description", "parameters", "mainSteps",
            "runtimeConfig");
    private static final Set<String> PARAMETER_FIELDS = Set.of("type", "description", "default", "allowedValues",
            "allowedPattern", "displayType", "minItems", "maxItems", "minChars", "maxChars");
    private static final Set<String> STEP_FIELDS = Set.of("action", "name", "inputs", "precondition");
    private static final Set<String> AUTOMATION_STEP_FIELDS = Set.of("isEnd", "nextStep", "onCancel", "isCritical",
            "maxAttempts", "timeoutSeconds", "onFailure", "outputs");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[a-zA-Z0-9]+");
    private static final Pattern STEP_NAME = Pattern.compile("[a-zA-Z0-9_.\\-]{1,128}");
    private static final ObjectMapper YAML = new YAMLMapper();

    private final List<String> problems = new ArrayList<>();

    private DocumentParser() {
    }

    /**
     * @param format DocumentFormat: JSON or YAML
     * @throws AwsError InvalidDocumentContent, InvalidDocumentSchemaVersion, MaxDocumentSizeExceeded or
     *                  NotImplementedLocally
     */
    static SsmDocument parse(String name, int version, String format, String content, String owner, Instant created,
                             String versionName, String displayName, String targetType) {
        if (content.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_BYTES) {
            throw AwsError.of("MaxDocumentSizeExceeded", "Document " + name + " is "
                    + content.getBytes(StandardCharsets.UTF_8).length + " bytes; SSM takes at most 64 KB");
        }
        JsonNode tree = tree(format, content);
        return new DocumentParser().document(name, version, format, content, owner, created, versionName, displayName,
                targetType, tree);
    }

    /** The content as a tree; InvalidDocumentContent when it is not the format it says. */
    static JsonNode tree(String format, String content) {
        try {
            JsonNode tree = "YAML".equals(format) ? YAML.readTree(content) : WireTree.JSON.readTree(content);
            if (tree == null || !tree.isObject()) {
                throw invalid("the content must be one " + format + " object with schemaVersion, parameters and"
                        + " mainSteps" + ("YAML".equals(format) ? "" : " (is it YAML? then send DocumentFormat YAML)"));
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw invalid("the content is not valid " + format + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr())
                    + ("JSON".equals(format) ? " (for YAML content, send DocumentFormat YAML)" : ""));
        }
    }

    /** The content written in the other format, for GetDocument's DocumentFormat. */
    static String convert(String content, String from, String to) {
        if (from.equals(to)) {
            return content;
        }
        JsonNode tree = tree(from, content);
        try {
            return "YAML".equals(to) ? YAML.writeValueAsString(tree)
                    : WireTree.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private SsmDocument document(String name, int version, String format, String content, String owner,
                                 Instant created, String versionName, String displayName, String targetType,
                                 JsonNode tree) {
        for (String field : names(tree)) {
            if (!TOP_LEVEL.contains(field)) {
                problems.add(field + ": is not a field of a Command document (it takes " + TOP_LEVEL + ")");
            }
        }
        JsonNode schemaNode = tree.get("schemaVersion");
        if (schemaNode == null || !schemaNode.isValueNode()) {
            throw invalid("schemaVersion: is required; use \"2.2\" for a Command document");
        }
        String schemaVersion = schemaNode.asText();
        if (!SCHEMA_VERSIONS.contains(schemaVersion)) {
            throw AwsError.of("InvalidDocumentSchemaVersion", "schemaVersion " + schemaVersion + " is not one of a"
                    + " Command document: use 2.2 (or 2.0, 1.2)");
        }
        String description = text(tree, "description", "description");
        List<DocumentParameter> parameters = parameters(tree.get("parameters"));
        List<DocumentStep> steps = schemaVersion.equals("1.2") ? runtimeConfig(tree) : mainSteps(tree, schemaVersion);
        references(parameters, steps);
        if (!problems.isEmpty()) {
            throw invalid(String.join("; ", problems));
        }
        return new SsmDocument(name, version, versionName, displayName, owner, format, content, schemaVersion,
                description == null ? "" : description, parameters, steps, targetType, created);
    }

    private List<DocumentParameter> parameters(JsonNode node) {
        List<DocumentParameter> parameters = new ArrayList<>();
        if (node == null || node.isNull()) {
            return parameters;
        }
        if (!node.isObject()) {
            problems.add("parameters: must be an object of parameter name to definition");
            return parameters;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String at = "parameters." + entry.getKey();
            if (!PARAMETER_NAME.matcher(entry.getKey()).matches()) {
                problems.add(at + ": a parameter name is letters and digits only");
                continue;
            }
            JsonNode definition = entry.getValue();
            if (!definition.isObject()) {
                problems.add(at + ": must be an object with at least a type");
                continue;
            }
            for (String field : names(definition)) {
                if (!PARAMETER_FIELDS.contains(field)) {
                    problems.add(at + "." + field + ": is not a field of a parameter (it takes " + PARAMETER_FIELDS + ")");
                }
            }
            String type = text(definition, "type", at + ".type");
            if (type == null) {
                problems.add(at + ".type: is required, one of " + DocumentParameter.TYPES);
                continue;
            }
            if (!DocumentParameter.TYPES.contains(type)) {
                problems.add(at + ".type: '" + type + "' is not a parameter type; use one of " + DocumentParameter.TYPES);
                continue;
            }
            JsonNode defaultValue = defaultValue(definition.get("default"), type, at + ".default");
            List<String> allowedValues = null;
            JsonNode allowed = definition.get("allowedValues");
            if (allowed != null) {
                if (!allowed.isArray()) {
                    problems.add(at + ".allowedValues: must be a list of values");
                } else {
                    allowedValues = new ArrayList<>();
                    for (JsonNode value : allowed) {
                        allowedValues.add(value.asText());
                    }
                }
            }
            String allowedPattern = text(definition, "allowedPattern", at + ".allowedPattern");
            if (allowedPattern != null) {
                try {
                    Pattern.compile(allowedPattern);
                } catch (PatternSyntaxException e) {
                    problems.add(at + ".allowedPattern: is not a valid regular expression: " + e.getDescription());
                }
            }
            String displayType = text(definition, "displayType", at + ".displayType");
            if (displayType != null && !displayType.equals("textfield") && !displayType.equals("textarea")) {
                problems.add(at + ".displayType: must be textfield or textarea");
            }
            parameters.add(new DocumentParameter(entry.getKey(), type, text(definition, "description", at + ".description"),
                    defaultValue, allowedValues, allowedPattern, count(definition, "minItems", at),
                    count(definition, "maxItems", at), count(definition, "minChars", at),
                    count(definition, "maxChars", at), displayType));
        }
        return parameters;
    }

    /** The default as a value of the type (a StringList's text default, a {{ssm:...}}, becomes a one-item list). */
    private JsonNode defaultValue(JsonNode value, String type, String at) {
        if (value == null || value.isNull()) {
            return null;
        }
        boolean fits = switch (type) {
            case DocumentParameter.STRING -> value.isValueNode();
            case DocumentParameter.STRING_LIST -> value.isTextual() || (value.isArray() && allValues(value));
            case DocumentParameter.INTEGER -> value.isIntegralNumber();
            case DocumentParameter.BOOLEAN -> value.isBoolean();
            case DocumentParameter.STRING_MAP -> value.isObject();
            case DocumentParameter.MAP_LIST -> value.isArray() && allObjects(value);
            default -> false;
        };
        if (!fits) {
            problems.add(at + ": " + value + " is not a " + type + " value");
            return null;
        }
        if (type.equals(DocumentParameter.STRING) && !value.isTextual()) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(value.asText());
        }
        if (type.equals(DocumentParameter.STRING_LIST) && value.isTextual()) {
            ArrayNode list = WireTree.JSON.createArrayNode();
            list.add(value.textValue());
            return list;
        }
        if (type.equals(DocumentParameter.STRING_LIST)) {
            ArrayNode list = WireTree.JSON.createArrayNode();
            value.forEach(item -> list.add(item.asText()));
            return list;
        }
        return value;
    }

    private List<DocumentStep> mainSteps(JsonNode tree, String schemaVersion) {
        if (tree.has("runtimeConfig")) {
            problems.add("runtimeConfig: belongs to schema 1.2; schema " + schemaVersion + " documents have mainSteps");
        }
        JsonNode mainSteps = tree.get("mainSteps");
        List<DocumentStep> steps = new ArrayList<>();
        if (mainSteps == null || !mainSteps.isArray() || mainSteps.isEmpty()) {
            problems.add("mainSteps: is required, a list of at least one step (action, name, inputs)");
            return steps;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < mainSteps.size(); i++) {
            String at = "mainSteps[" + i + "]";
            JsonNode step = mainSteps.get(i);
            if (!step.isObject()) {
                problems.add(at + ": must be an object with action, name and inputs");
                continue;
            }
            for (String field : names(step)) {
                if (AUTOMATION_STEP_FIELDS.contains(field) && !STEP_FIELDS.contains(field)) {
                    problems.add(at + "." + field + ": is a step field of Automation runbooks (schema 0.3), not of"
                            + " Command documents; in a Command document put onFailure (exit | successAndExit),"
                            + " onSuccess (exit) or finallyStep (true) in the step's inputs");
                } else if (!STEP_FIELDS.contains(field)) {
                    problems.add(at + "." + field + ": is not a field of a step (it takes " + STEP_FIELDS + ")");
                }
            }
            String name = text(step, "name", at + ".name");
            if (name == null) {
                problems.add(at + ".name: is required: the step's name, reported as its PluginName");
                continue;
            }
            if (!STEP_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
                problems.add(at + ".name: '" + name + "' is not a step name: 1 to 128 letters, digits and _ . -");
                continue;
            }
            if (!names.add(name)) {
                problems.add(at + ".name: '" + name + "' names two steps; step names must be unique");
            }
            String action = action(step, at);
            ObjectNode inputs = inputs(step.get("inputs"), at + ".inputs", action, i == mainSteps.size() - 1);
            List<String> precondition = precondition(step.get("precondition"), at + ".precondition", schemaVersion);
            if (action != null && inputs != null) {
                steps.add(new DocumentStep(name, action, inputs, precondition));
            }
        }
        return steps;
    }

    private List<DocumentStep> runtimeConfig(JsonNode tree) {
        if (tree.has("mainSteps")) {
            problems.add("mainSteps: belongs to schema 2.x; schema 1.2 documents have runtimeConfig");
        }
        JsonNode config = tree.get("runtimeConfig");
        List<DocumentStep> steps = new ArrayList<>();
        if (config == null || !config.isObject() || config.isEmpty()) {
            problems.add("runtimeConfig: is required in schema 1.2, an object of plugin name to {properties: [...]}");
            return steps;
        }
        for (Map.Entry<String, JsonNode> plugin : config.properties()) {
            String at = "runtimeConfig." + plugin.getKey();
            String action = action(plugin.getKey(), at);
            JsonNode properties = plugin.getValue().get("properties");
            if (properties == null || !properties.isArray() || properties.size() != 1) {
                problems.add(at + ".properties: must be a list of one set of inputs here (the simulation runs one"
                        + " set per plugin)");
                continue;
            }
            ObjectNode inputs = properties.get(0).isObject() ? ((ObjectNode) properties.get(0)).deepCopy() : null;
            if (inputs != null) {
                inputs.remove("id");
            }
            inputs = inputs(inputs, at + ".properties[0]", action, true);
            if (action != null && inputs != null) {
                steps.add(new DocumentStep(plugin.getKey(), action, inputs, null));
            }
        }
        return steps;
    }

    private String action(JsonNode step, String at) {
        String action = text(step, "action", at + ".action");
        if (action == null) {
            problems.add(at + ".action: is required, the plugin the step runs, such as aws:runShellScript");
            return null;
        }
        return action(action, at + ".action");
    }

    private String action(String action, String at) {
        if (action.equals(SsmDocument.SHELL) || action.equals(SsmDocument.POWERSHELL)) {
            return action;
        }
        if (PLUGINS.contains(action)) {
            throw AwsError.notImplemented("the plugin " + action + " (" + at + ")", "the simulated nodes run "
                    + SsmDocument.SHELL + " and " + SsmDocument.POWERSHELL + " steps");
        }
        problems.add(at + ": '" + action + "' is not a Command document plugin; use " + SsmDocument.SHELL + " or "
                + SsmDocument.POWERSHELL);
        return null;
    }

    private ObjectNode inputs(JsonNode node, String at, String action, boolean last) {
        if (node == null || !node.isObject()) {
            problems.add(at + ": is required, an object with runCommand (the lines to run)");
            return null;
        }
        ObjectNode inputs = (ObjectNode) node;
        for (String field : names(inputs)) {
            if (!DocumentStep.SCRIPT_INPUTS.contains(field) && !DocumentStep.SHARED_INPUTS.contains(field)) {
                String hint = field.equals("isEnd") || field.equals("nextStep")
                        ? " (" + field + " belongs to Automation runbooks; Command documents use onFailure, onSuccess"
                                + " and finallyStep)" : "";
                problems.add(at + "." + field + ": is not an input of " + action + "; it takes "
                        + DocumentStep.SCRIPT_INPUTS + " and " + DocumentStep.SHARED_INPUTS + hint);
            }
        }
        JsonNode runCommand = inputs.get("runCommand");
        if (runCommand == null || runCommand.isNull()) {
            problems.add(at + ".runCommand: is required, the lines to run (a list of strings)");
        } else if (runCommand.isTextual()) {
            if (!Interpolation.PLACEHOLDER.matcher(runCommand.textValue()).matches()) {
                problems.add(at + ".runCommand: must be a list of strings (or one {{ parameter }} of type StringList),"
                        + " not the string \"" + runCommand.textValue() + "\"");
            }
        } else if (!runCommand.isArray() || !allValues(runCommand)) {
            problems.add(at + ".runCommand: must be a list of strings");
        }
        for (String field : List.of("workingDirectory", "onFailure", "onSuccess")) {
            JsonNode value = inputs.get(field);
            if (value != null && !value.isTextual()) {
                problems.add(at + "." + field + ": must be a string");
            }
        }
        JsonNode timeout = inputs.get("timeoutSeconds");
        if (timeout != null && !timeout.isTextual() && !timeout.isNumber()) {
            problems.add(at + ".timeoutSeconds: must be a number of seconds (5 to 172800), as a string or a number");
        }
        // A {{ parameter }} is checked by the agent once it is filled in (it ignores a value it does not know).
        String onFailure = literal(inputs.get("onFailure"));
        if (onFailure != null && !onFailure.equals("exit") && !onFailure.equals("successAndExit")) {
            problems.add(at + ".onFailure: must be exit or successAndExit, not '" + onFailure + "'");
        }
        String onSuccess = literal(inputs.get("onSuccess"));
        if (onSuccess != null && !onSuccess.equals("exit")) {
            problems.add(at + ".onSuccess: must be exit, not '" + onSuccess + "'");
        }
        JsonNode finallyStep = inputs.get("finallyStep");
        if (finallyStep != null && !finallyStep.isBoolean() && literal(finallyStep) != null
                && !(finallyStep.isTextual() && (finallyStep.asText().equals("true") || finallyStep.asText().equals("false")))) {
            problems.add(at + ".finallyStep: must be true or false");
        }
        return inputs;
    }

    private List<String> precondition(JsonNode node, String at, String schemaVersion) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!StepPlan.preconditionsEnabled(schemaVersion)) {
            problems.add(at + ": preconditions need schemaVersion 2.2 (this document is " + schemaVersion + ")");
            return null;
        }
        JsonNode equals = node.get("StringEquals");
        if (!node.isObject() || node.size() != 1 || equals == null) {
            problems.add(at + ": the only operator is StringEquals, e.g. {\"StringEquals\": [\"platformType\", \"Linux\"]}");
            return null;
        }
        if (!equals.isArray() || equals.size() != 2 || !allValues(equals)) {
            problems.add(at + ".StringEquals: takes exactly two strings, e.g. [\"platformType\", \"Linux\"]");
            return null;
        }
        return List.of(equals.get(0).asText(), equals.get(1).asText());
    }

    /** Every {{ name }} must name a declared parameter of a type its input takes. */
    private void references(List<DocumentParameter> parameters, List<DocumentStep> steps) {
        Map<String, DocumentParameter> declared = DocumentParameter.byName(parameters);
        for (DocumentStep step : steps) {
            for (Map.Entry<String, JsonNode> input : step.inputs().properties()) {
                Set<String> allowedTypes = input.getKey().equals("runCommand")
                        ? Set.of(DocumentParameter.STRING, DocumentParameter.STRING_LIST) : Set.of(DocumentParameter.STRING);
                for (String name : referencesIn(input.getValue())) {
                    String at = "step " + step.name() + " input " + input.getKey();
                    DocumentParameter parameter = declared.get(name);
                    if (parameter == null) {
                        problems.add(at + ": {{ " + name + " }} names no parameter of the document (it declares "
                                + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet())) + ")");
                    } else if (!allowedTypes.contains(parameter.type())) {
                        problems.add(at + ": parameter " + name + " is of type " + parameter.type() + ", and " + input.getKey()
                                + " takes " + String.join(" or ", allowedTypes.stream().sorted().toList()) + " parameters");
                    }
                }
            }
            if (step.precondition() != null) {
                for (String argument : step.precondition()) {
                    for (String name : Interpolation.references(argument)) {
                        if (!declared.containsKey(name)) {
                            problems.add("step " + step.name() + " precondition: {{ " + name + " }} names no parameter"
                                    + " of the document");
                        }
                    }
                }
            }
        }
    }

    private static Set<String> referencesIn(JsonNode value) {
        Set<String> names = new HashSet<>();
        if (value.isTextual()) {
            names.addAll(Interpolation.references(value.textValue()));
        } else if (value.isContainerNode()) {
            value.forEach(item -> names.addAll(referencesIn(item)));
        }
        return names;
    }

    private String text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            problems.add(at + ": must be a string");
            return null;
        }
        return value.asText();
    }

    private Integer count(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || value.intValue() < 0) {
            problems.add(at + "." + field + ": must be a whole number, 0 or more");
            return null;
        }
        return value.intValue();
    }

    /** The text of an input that is not a placeholder, or null. */
    private static String literal(JsonNode value) {
        if (value == null || value.isNull() || (value.isTextual() && value.textValue().contains("{{"))) {
            return null;
        }
        return value.asText();
    }

    private static boolean allValues(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isValueNode() || item.isNull()) {
                return false;
            }
        }
        return true;
    }

    private static boolean allObjects(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static AwsError invalid(String what) {
        return AwsError.of("InvalidDocumentContent", "The content for the document is not valid: " + what);
    }
}
