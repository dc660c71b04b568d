package dev.fleetrun.local.sfn.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Workflow variables ({@code Assign}): a scope per state machine, Parallel branch or Map iteration. A nested
 * scope reads its parents' variables; assignments always land in the scope itself, as the States Language
 * says (a branch cannot change its parent's variables).
 */
public final class Variables {

    private final Variables parent;
    private final Map<String, JsonNode> values = new HashMap<>();

    private Variables(Variables parent) {
        this.parent = parent;
    }

    /** The variables of a top-level execution. */
    public static Variables root() {
        return new Variables(null);
    }

    /** A nested scope that sees this one's variables. */
    public Variables child() {
        return new Variables(this);
    }

    /** A variable's value, looked up through the enclosing scopes, or {@code null}. */
    public synchronized JsonNode get(String name) {
        JsonNode value = values.get(name);
        if (value == null && parent != null) {
            return parent.get(name);
        }
        return value;
    }

    /** Sets variables in this scope. */
    public synchronized void assignAll(Map<String, JsonNode> assignments) {
        values.putAll(assignments);
    }

    /** Every variable visible here: the parents', overridden by this scope's. */
    public synchronized Map<String, JsonNode> visible() {
        Map<String, JsonNode> all = parent == null ? new HashMap<>() : new HashMap<>(parent.visible());
        all.putAll(values);
        return all;
    }

    /** A copy of the variables set in this scope (not the parents'). */
    public synchronized Map<String, JsonNode> local() {
        return Map.copyOf(values);
    }
}
