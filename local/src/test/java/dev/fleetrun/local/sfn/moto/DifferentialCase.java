package dev.fleetrun.local.sfn.moto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetrun.local.sfn.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One run of a conformance case (a file under {@code src/test/resources/conformance/<feature>/}, see
 * {@code Conformance}), to be run on two engines.
 *
 * @param id            {@code <feature>/<file name without .json>}, with {@code  #n} for the n-th of several runs
 * @param definition    the definition, as JSON text
 * @param input         the execution input
 * @param executionName the execution name the case asks for, or {@code null}
 * @param functions     the played Lambda functions (name to script), or {@code null}
 * @param expect        what the case expects of our engine
 */
public record DifferentialCase(String id, String definition, JsonNode input, String executionName, JsonNode functions,
                               JsonNode expect) {

    /** Every run of every case of a feature, in file-name order. */
    public static List<DifferentialCase> load(String feature) {
        List<DifferentialCase> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory(feature))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode spec = Json.MAPPER.readTree(file.toFile());
                String id = feature + "/" + file.getFileName().toString().replace(".json", "");
                if (spec.has("runs")) {
                    int n = 0;
                    for (JsonNode run : spec.get("runs")) {
                        cases.add(of(id + " #" + (++n), spec, run));
                    }
                } else {
                    cases.add(of(id, spec, spec));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    /**
     * Why moto cannot run this case as our engine runs it, or empty if it can: validation cases, JSONata and
     * variables (moto 5.2.1 has neither), and tasks other than Lambda functions that echo their payload (moto's
     * Lambda without Docker echoes, and the two engines share no other integration).
     */
    public Optional<String> whyMotoCannotRun() {
        if (expect.has("invalid")) {
            return Optional.of("a validation case: the definition is refused before anything runs");
        }
        for (JsonNode node : nodes(parsedDefinition())) {
            if (node.path("QueryLanguage").asText().equals("JSONata")) {
                return Optional.of("JSONata: moto 5.2.1 runs JSONPath only");
            }
            if (node.has("Assign")) {
                return Optional.of("variables (Assign): moto 5.2.1 has none");
            }
            if (node.path("Type").asText().equals("Task")) {
                Optional<String> why = whyTaskCannotRun(node);
                if (why.isPresent()) {
                    return why;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> whyTaskCannotRun(JsonNode task) {
        String resource = task.path("Resource").asText();
        if (resource.endsWith(".waitForTaskToken") || resource.endsWith(".sync")) {
            return Optional.of("a " + resource.substring(resource.lastIndexOf('.')) + " task: it needs a client answering its token");
        }
        String function;
        if (resource.equals("arn:aws:states:::lambda:invoke")) {
            function = functionName(task.path("Parameters").path("FunctionName").asText());
        } else if (resource.startsWith("arn:aws:lambda:")) {
            function = functionName(resource);
        } else {
            return Optional.of("resource " + resource + ": the two engines share no integration but Lambda");
        }
        JsonNode script = functions == null ? null : functions.get(function);
        if (script == null || !script.equals(Json.MAPPER.createObjectNode().put("echo", true))) {
            return Optional.of("Lambda function " + function + " does not just echo its payload in this case, and echoing is all "
                    + "moto's Lambda does");
        }
        return Optional.empty();
    }

    /** The function name of a Lambda ARN, partial ARN or name, without a version or alias. */
    private static String functionName(String nameOrArn) {
        int at = nameOrArn.indexOf(":function:");
        String rest = at < 0 ? nameOrArn : nameOrArn.substring(at + ":function:".length());
        int qualifier = rest.indexOf(':');
        return qualifier < 0 ? rest : rest.substring(0, qualifier);
    }

    private JsonNode parsedDefinition() {
        try {
            return Json.parse(definition);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node and every node under it. */
    private static List<JsonNode> nodes(JsonNode root) {
        List<JsonNode> all = new ArrayList<>();
        List<JsonNode> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            JsonNode node = todo.removeLast();
            all.add(node);
            node.elements().forEachRemaining(todo::add);
        }
        return all;
    }

    private static DifferentialCase of(String id, JsonNode spec, JsonNode run) {
        JsonNode input = run.has("input") ? run.get("input") : JsonNodeFactory.instance.objectNode();
        JsonNode functions = run.has("functions") ? run.get("functions") : spec.get("functions");
        String name = run.has("name") ? run.get("name").asText() : null;
        return new DifferentialCase(id, Json.text(spec.get("definition")), input, name, functions, run.get("expect"));
    }

    private static Path directory(String feature) {
        URL url = DifferentialCase.class.getClassLoader().getResource("conformance/" + feature);
        if (url == null) {
            throw new IllegalArgumentException("no test resource folder conformance/" + feature);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
