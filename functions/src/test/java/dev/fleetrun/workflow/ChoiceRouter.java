package dev.fleetrun.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.workflow.AslDefinition.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Follows a definition's routing states (Choice, Wait, Pass) for one state payload, from a given
 * state to the next Task, Succeed or Fail, so a test can say "after Evaluate decides CONTINUE with a
 * bake, the run waits, then asks for approval". It evaluates the JSONPath Choice rules the
 * workflows use (string, boolean and numeric comparisons, IsPresent, And/Or/Not on {@code $.a.b}
 * paths) and applies a Pass state's static {@code Result} at a {@code $.field} ResultPath. Anything
 * else is refused loudly rather than guessed: this is a test aid, not an interpreter.
 */
final class ChoiceRouter {

    private static final Set<String> ROUTING = Set.of("Choice", "Wait", "Pass");

    /** The states passed through (the start first, the stop last) and the payload at the stop. */
    record Route(List<State> states, JsonNode payload) {

        State end() {
            return states.getLast();
        }

        List<String> names() {
            return states.stream().map(State::name).toList();
        }
    }

    private ChoiceRouter() {
    }

    static Route route(AslDefinition definition, String from, JsonNode payload) {
        List<State> visited = new ArrayList<>();
        JsonNode current = payload.deepCopy();
        State state = definition.state(from);
        while (true) {
            visited.add(state);
            if (!ROUTING.contains(state.type())) {
                return new Route(visited, current);
            }
            if (visited.size() > 100) {
                throw new IllegalStateException("routing loops: " + visited.stream().map(State::name).toList());
            }
            if (state.type().equals("Pass")) {
                current = applyPass(state, current);
                if (state.node().path("End").asBoolean(false)) {
                    return new Route(visited, current);
                }
            }
            String next = state.type().equals("Choice") ? choose(state, current) : state.node().path("Next").asText();
            state = definition.state(next);
        }
    }

    private static String choose(State choice, JsonNode payload) {
        for (JsonNode rule : choice.node().path("Choices")) {
            if (matches(rule, payload)) {
                return rule.path("Next").asText();
            }
        }
        if (!choice.node().has("Default")) {
            throw new IllegalStateException(choice.where() + ": no rule matches " + payload + " and there is no Default");
        }
        return choice.node().path("Default").asText();
    }

    private static boolean matches(JsonNode rule, JsonNode payload) {
        if (rule.has("And")) {
            for (JsonNode r : rule.get("And")) {
                if (!matches(r, payload)) {
                    return false;
                }
            }
            return true;
        }
        if (rule.has("Or")) {
            for (JsonNode r : rule.get("Or")) {
                if (matches(r, payload)) {
                    return true;
                }
            }
            return false;
        }
        if (rule.has("Not")) {
            return !matches(rule.get("Not"), payload);
        }
        JsonNode value = at(payload, rule.path("Variable").asText());
        if (rule.has("IsPresent")) {
            return !value.isMissingNode() == rule.get("IsPresent").asBoolean();
        }
        if (value.isMissingNode()) {
            throw new IllegalStateException("States.Runtime: " + rule.path("Variable").asText() + " is not in " + payload);
        }
        if (rule.has("StringEquals")) {
            return value.isTextual() && value.asText().equals(rule.get("StringEquals").asText());
        }
        if (rule.has("BooleanEquals")) {
            return value.isBoolean() && value.asBoolean() == rule.get("BooleanEquals").asBoolean();
        }
        if (rule.has("NumericEquals")) {
            return value.isNumber() && value.asDouble() == rule.get("NumericEquals").asDouble();
        }
        if (rule.has("NumericGreaterThan")) {
            return value.isNumber() && value.asDouble() > rule.get("NumericGreaterThan").asDouble();
        }
        if (rule.has("NumericLessThan")) {
            return value.isNumber() && value.asDouble() < rule.get("NumericLessThan").asDouble();
        }
        throw new UnsupportedOperationException("ChoiceRouter does not evaluate " + rule);
    }

    private static JsonNode applyPass(State pass, JsonNode payload) {
        if (!pass.node().has("Result")) {
            return payload;
        }
        String resultPath = pass.node().path("ResultPath").asText("$");
        if (!resultPath.matches("\\$\\.\\w+")) {
            throw new UnsupportedOperationException(pass.where() + ": ChoiceRouter applies a Result only at a $.field ResultPath");
        }
        ObjectNode copy = payload.deepCopy();
        copy.set(resultPath.substring(2), pass.node().get("Result").deepCopy());
        return copy;
    }

    private static JsonNode at(JsonNode payload, String path) {
        if (!path.startsWith("$.")) {
            throw new UnsupportedOperationException("ChoiceRouter reads only $.a.b paths, not " + path);
        }
        JsonNode node = payload;
        for (String field : path.substring(2).split("\\.")) {
            node = node.path(field);
        }
        return node;
    }
}
