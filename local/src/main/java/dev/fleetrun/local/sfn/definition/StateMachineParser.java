package dev.fleetrun.local.sfn.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.states.State;
import dev.fleetrun.local.sfn.states.StateParser;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parses one graph of states ({@code StartAt} and {@code States}) and checks its transitions: every
 * {@code StartAt}, {@code Next}, {@code Default} and catcher {@code Next} names a state of the same graph,
 * and every state can be reached from {@code StartAt}.
 */
final class StateMachineParser {

    private StateMachineParser() {
    }

    /** Parses a graph whose object has only StartAt, States and Comment (a Parallel branch). */
    static StateMachine parseMachine(JsonNode node, String pointer, ParseContext context) {
        Fields fields = Fields.of(node, pointer, context.problems(), "a state machine");
        if (fields == null) {
            return new StateMachine(null, Map.of());
        }
        StateMachine machine = parseGraph(fields, context);
        fields.allow("Comment", "ProcessorConfig");
        fields.rejectUnknown();
        return machine;
    }

    /** Parses StartAt and States of an object whose other fields the caller reads. */
    static StateMachine parseGraph(Fields fields, ParseContext context) {
        String startAt = fields.requiredString("StartAt");
        JsonNode statesNode = fields.raw("States");
        Map<String, State> states = new LinkedHashMap<>();
        if (statesNode == null) {
            fields.problem("States", Problems.SCHEMA, "the field 'States' is required");
        } else if (!statesNode.isObject() || statesNode.isEmpty()) {
            fields.problem("States", Problems.SCHEMA, "'States' must be an object with at least one state");
        } else {
            Iterator<Map.Entry<String, JsonNode>> it = statesNode.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> entry = it.next();
                String name = entry.getKey();
                String statePointer = fields.pointer("States") + "/" + name.replace("~", "~0").replace("/", "~1");
                if (name.isEmpty() || name.length() > 80) {
                    context.problems().add(Problems.SCHEMA, statePointer, "a state name must have 1 to 80 characters");
                }
                if (!context.claimName(name)) {
                    context.problems().add(Problems.DUPLICATE_STATE, statePointer,
                            "the state name '" + name + "' is used more than once in the definition");
                }
                State state = StateParser.parse(name, entry.getValue(), statePointer, context);
                if (state != null) {
                    states.put(name, state);
                }
            }
        }
        if (startAt != null && statesNode != null && statesNode.isObject() && !statesNode.isEmpty() && !statesNode.has(startAt)) {
            fields.problem("StartAt", Problems.MISSING_TARGET, "'StartAt' names the state '" + startAt + "', which does not exist");
        }
        checkTransitions(states, statesNode, context.problems());
        if (startAt != null && states.containsKey(startAt)) {
            checkReachable(startAt, states, fields, context.problems());
        }
        return new StateMachine(startAt, states);
    }

    private static void checkTransitions(Map<String, State> states, JsonNode statesNode, Problems problems) {
        for (State state : states.values()) {
            state.targets((target, pointer) -> {
                if (statesNode == null || !statesNode.has(target)) {
                    problems.add(Problems.MISSING_TARGET, pointer, "Missing 'Next' target: '" + target
                            + "' is not a state of this " + "state machine or branch");
                }
            });
        }
    }

    private static void checkReachable(String startAt, Map<String, State> states, Fields fields, Problems problems) {
        Set<String> reached = new HashSet<>();
        Deque<String> toVisit = new ArrayDeque<>();
        toVisit.add(startAt);
        while (!toVisit.isEmpty()) {
            String name = toVisit.poll();
            if (!reached.add(name)) {
                continue;
            }
            State state = states.get(name);
            if (state != null) {
                state.targets((target, pointer) -> toVisit.add(target));
            }
        }
        for (String name : states.keySet()) {
            if (!reached.contains(name)) {
                problems.add(Problems.UNREACHABLE, fields.pointer("States") + "/" + name,
                        "the state '" + name + "' cannot be reached from '" + startAt + "'");
            }
        }
    }
}
