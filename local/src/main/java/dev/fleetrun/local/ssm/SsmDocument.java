package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.WireTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One version of a Command document: what {@code CreateDocument} or {@code UpdateDocument} made of
 * its content ({@link DocumentParser}), with the parameters it declares and the steps a node runs in
 * order. Immutable; the versions of one document are kept by {@link SsmDocuments}.
 *
 * <p>The two AWS documents fleetrun uses, AWS-RunShellScript and AWS-RunPowerShellScript, are built
 * in with their real (schema 1.2) content ({@link #builtIn}). {@link #custom} makes a one-step shell
 * document that takes any parameters, for the component tests' scripted fake.
 *
 * @param version    1, 2, ... (the document's versions in the order they were made)
 * @param owner      {@value #AMAZON} for AWS's documents, else the account id
 * @param format     JSON or YAML, as the content was sent
 * @param parameters the parameters declared, or null for a document that takes any (see {@link #custom})
 */
public record SsmDocument(String name, int version, String versionName, String displayName, String owner,
                          String format, String content, String schemaVersion, String description,
                          List<DocumentParameter> parameters, List<DocumentStep> steps, String targetType,
                          Instant createdDate) {
    public static final String SHELL = "aws:runShellScript";
    public static final String POWERSHELL = "aws:runPowerShellScript";
    public static final String AMAZON = "Amazon";
    public static final String COMMAND = "Command";
    /** The allowedPattern AWS-RunShellScript and AWS-RunPowerShellScript put on executionTimeout. */
    public static final String EXECUTION_TIMEOUT_PATTERN =
            "([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)";
    /** What the agent runs a step for when its timeoutSeconds is absent or out of 5 to 172800 (it only logs). */
    public static final int DEFAULT_EXECUTION_TIMEOUT = 3600;
    static final List<String> BUILT_IN = List.of("AWS-RunShellScript", "AWS-RunPowerShellScript");
    /** When AWS's documents were made, as this simulation reports it (AWS's own dates are not documented). */
    static final Instant BUILT_IN_DATE = Instant.parse("2017-02-24T00:00:00Z");

    public SsmDocument {
        parameters = parameters == null ? null : List.copyOf(parameters);
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("document " + name + " has no step");
        }
    }

    /** AWS-RunShellScript and AWS-RunPowerShellScript, with their real content. */
    public static List<SsmDocument> builtIn() {
        List<SsmDocument> documents = new ArrayList<>();
        for (String name : BUILT_IN) {
            String resource = "ssm/documents/" + name + ".json";
            try (InputStream in = SsmDocument.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is not on the classpath: build the local module");
                }
                String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                documents.add(DocumentParser.parse(name, 1, "JSON", content, AMAZON, BUILT_IN_DATE, null, null, null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return documents;
    }

    /**
     * A custom shell document with one step of this name, running its {@code commands} parameter and
     * accepting any parameters: what a test fake needs when nothing runs the document.
     */
    public static SsmDocument custom(String name, String stepName) {
        ObjectNode inputs = WireTree.object().put("runCommand", "{{ commands }}");
        return new SsmDocument(name, 1, null, null, "123456789012", "JSON", "{}", "2.2", "", null,
                List.of(new DocumentStep(stepName, SHELL, inputs, null)), null, Instant.EPOCH);
    }

    /** Whether this is one of AWS's documents (they cannot be updated or deleted). */
    public boolean ownedByAmazon() {
        return AMAZON.equals(owner);
    }

    /** Whether the document declares its parameters (false for {@link #custom} ones, which take any). */
    public boolean declaresParameters() {
        return parameters != null;
    }

    /** The step GetCommandInvocation reports when no PluginName is given: the only one. */
    public String stepName() {
        return steps.get(0).name();
    }

    public boolean singleStep() {
        return steps.size() == 1;
    }

    /** The step of this name, or null. */
    public DocumentStep step(String stepName) {
        return steps.stream().filter(step -> step.name().equals(stepName)).findFirst().orElse(null);
    }

    /**
     * The values a node runs the document with: those sent, the defaults of the others, every one
     * checked against its parameter ({@code InvalidParameters} naming each problem).
     */
    public Map<String, JsonNode> parameterValues(Map<String, List<String>> sent) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        if (parameters == null) {
            sent.forEach((parameter, strings) -> {
                ArrayNode list = WireTree.JSON.createArrayNode();
                strings.forEach(list::add);
                values.put(parameter, list);
            });
            return values;
        }
        Map<String, DocumentParameter> declared = DocumentParameter.byName(parameters);
        List<String> problems = new ArrayList<>();
        for (String parameter : sent.keySet()) {
            if (!declared.containsKey(parameter)) {
                problems.add("parameter '" + parameter + "' is not defined by the document");
            }
        }
        for (DocumentParameter parameter : parameters) {
            List<String> strings = sent.get(parameter.name());
            if (strings != null) {
                JsonNode value = parameter.fromRequest(strings, problems);
                if (value != null) {
                    values.put(parameter.name(), value);
                }
            } else if (parameter.required()) {
                problems.add("parameter '" + parameter.name() + "' (" + parameter.type() + ") is required and was not"
                        + " given");
            } else {
                values.put(parameter.name(), parameter.defaultTyped());
            }
        }
        if (!problems.isEmpty()) {
            throw AwsError.of("InvalidParameters", "Document " + name + " (version " + version + ") refuses these"
                    + " parameters: " + String.join("; ", problems) + ". It takes " + summary());
        }
        return values;
    }

    /** Rejects what SSM rejects with {@code InvalidParameters} (see {@link #parameterValues}). */
    public void validate(Map<String, List<String>> sent) {
        parameterValues(sent);
    }

    /**
     * The longest the document may run on one node, for ExpiresAfter: the sum of its steps' execution
     * timeouts (each as the agent applies it: 3600 when absent or out of 5 to 172800).
     */
    public int executionSeconds(Map<String, JsonNode> values) {
        long total = 0;
        for (DocumentStep step : steps) {
            total += StepPlan.timeoutSeconds(Interpolation.parameters(step.input("timeoutSeconds"), values));
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /** The platforms the document's plugins run on (DescribeDocument's PlatformTypes). */
    public List<String> platformTypes() {
        Set<String> platforms = new LinkedHashSet<>();
        for (String platform : List.of("Windows", "Linux", "MacOS")) {
            for (DocumentStep step : steps) {
                if (step.pluginRunsOn(platform)) {
                    platforms.add(platform);
                }
            }
        }
        return List.copyOf(platforms);
    }

    /** The platforms a plugin runs on: aws:runShellScript Linux and macOS, aws:runPowerShellScript all three. */
    static Set<String> platformsOf(String action) {
        return switch (action) {
            case SHELL -> Set.of("Linux", "MacOS");
            case POWERSHELL -> Set.of("Windows", "Linux", "MacOS");
            default -> Set.of();
        };
    }

    /** The SHA-256 of the content, as DescribeDocument's Hash. */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parameters, for messages: {@code commands (StringList, required), executionTimeout (String)}. */
    String summary() {
        if (parameters == null) {
            return "any parameters";
        }
        if (parameters.isEmpty()) {
            return "no parameters";
        }
        return String.join(", ", parameters.stream().map(DocumentParameter::summary).toList());
    }

    /** The text of a typed value, for the places that need one string (a default as DescribeDocument shows it). */
    static String text(JsonNode value) {
        return value instanceof TextNode text ? text.textValue() : value.toString();
    }

    @Override
    public String toString() {
        return name + " version " + version;
    }
}
