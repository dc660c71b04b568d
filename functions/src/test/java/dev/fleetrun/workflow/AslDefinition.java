package dev.fleetrun.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.catalog.FleetrunFunction;
import dev.fleetrun.testing.RepoFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * One workflow definition ({@code statemachines/*.asl.json}) read for structural checks: its scopes
 * (the top level, and the branches of Parallel and the item processors of Map states), their states
 * and the transitions between them. It only reads; the checks live in the tests.
 */
final class AslDefinition {

    static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    static final String LAMBDA_INVOKE_CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";

    /** A set of states with one StartAt: the whole machine, or one branch or item processor inside it. */
    record Scope(String id, String startAt, Map<String, State> states) {
    }

    /** One state, with the scope it belongs to (transitions never leave their scope). */
    record State(String scope, String name, JsonNode node) {

        String type() {
            return node.path("Type").asText();
        }

        /** Succeed, Fail, or any state with {@code "End": true}. */
        boolean isTerminal() {
            return type().equals("Succeed") || type().equals("Fail") || node.path("End").asBoolean(false);
        }

        /** Every state this one can go to: Next, Default, each choice rule's Next, each catcher's Next. */
        List<String> transitions() {
            List<String> targets = new ArrayList<>();
            addText(targets, node.get("Next"));
            addText(targets, node.get("Default"));
            node.path("Choices").forEach(rule -> addText(targets, rule.get("Next")));
            node.path("Catch").forEach(catcher -> addText(targets, catcher.get("Next")));
            return targets;
        }

        String resource() {
            return node.path("Resource").asText("");
        }

        boolean isLambdaTask() {
            return type().equals("Task") && (resource().equals(LAMBDA_INVOKE) || resource().equals(LAMBDA_INVOKE_CALLBACK));
        }

        boolean isCallbackTask() {
            return type().equals("Task") && resource().endsWith(".waitForTaskToken");
        }

        /** The fleetrun function a Lambda task invokes, from its {@code ${<Name>FunctionArn}} placeholder. */
        Optional<FleetrunFunction> function() {
            String name = node.path("Parameters").path("FunctionName").asText("");
            if (name.startsWith("${") && name.endsWith("}")) {
                return FleetrunFunction.byPlaceholder(name.substring(2, name.length() - 1));
            }
            return Optional.empty();
        }

        String where() {
            return scope.isEmpty() ? "state '" + name + "'" : "state '" + name + "' (in " + scope + ")";
        }

        private static void addText(List<String> into, JsonNode value) {
            if (value != null && value.isTextual()) {
                into.add(value.asText());
            }
        }
    }

    private final Path file;
    private final String text;
    private final JsonNode root;
    private final List<Scope> scopes = new ArrayList<>();

    private AslDefinition(Path file) {
        this.file = file;
        this.text = RepoFiles.readString(file);
        this.root = RepoFiles.readJson(file);
        collectScopes("", root);
    }

    static AslDefinition read(Path file) {
        return new AslDefinition(file);
    }

    /** The definition of that name under {@code statemachines/}. */
    static AslDefinition named(String fileName) {
        return read(RepoFiles.stateMachinesDir().resolve(fileName));
    }

    String fileName() {
        return file.getFileName().toString();
    }

    Path file() {
        return file;
    }

    /** The raw text, for checks on placeholders that are not JSON structure. */
    String text() {
        return text;
    }

    JsonNode root() {
        return root;
    }

    List<Scope> scopes() {
        return scopes;
    }

    /** Every state of every scope. */
    List<State> states() {
        return scopes.stream().flatMap(s -> s.states().values().stream()).toList();
    }

    List<State> lambdaTasks() {
        return states().stream().filter(State::isLambdaTask).toList();
    }

    /** A state of the top-level scope. */
    State state(String name) {
        State state = scopes.getFirst().states().get(name);
        if (state == null) {
            throw new NoSuchElementException(fileName() + " has no top-level state '" + name + "'");
        }
        return state;
    }

    /** The one Lambda task that invokes {@code function}. */
    State taskInvoking(FleetrunFunction function) {
        List<State> tasks = lambdaTasks().stream().filter(t -> t.function().equals(Optional.of(function))).toList();
        if (tasks.size() != 1) {
            throw new NoSuchElementException(fileName() + " has " + tasks.size() + " tasks invoking "
                    + function.logicalName() + ", expected exactly one");
        }
        return tasks.getFirst();
    }

    private void collectScopes(String id, JsonNode machine) {
        Map<String, State> states = new LinkedHashMap<>();
        machine.path("States").properties().forEach(e -> states.put(e.getKey(), new State(id, e.getKey(), e.getValue())));
        scopes.add(new Scope(id, machine.path("StartAt").asText(null), states));
        for (State state : states.values()) {
            JsonNode branches = state.node().path("Branches");
            for (int i = 0; i < branches.size(); i++) {
                collectScopes(qualified(id, state.name() + ".Branches[" + i + "]"), branches.get(i));
            }
            for (String field : List.of("ItemProcessor", "Iterator")) {
                if (state.node().has(field)) {
                    collectScopes(qualified(id, state.name() + "." + field), state.node().get(field));
                }
            }
        }
    }

    private static String qualified(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }
}
