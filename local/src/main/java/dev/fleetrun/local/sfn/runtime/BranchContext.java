package dev.fleetrun.local.sfn.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.history.HistoryEventType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thread of control in an execution: the top level, a Parallel branch or a Map iteration. It links its
 * events (each names the previous event of the same branch), knows the scope that cancels it, and carries the
 * workflow variables visible in it.
 */
public final class BranchContext {

    private final ExecutionContext execution;
    private final CancellationScope scope;
    private final Variables variables;
    private long lastEventId;

    public BranchContext(ExecutionContext execution, CancellationScope scope, long lastEventId, Variables variables) {
        this.execution = execution;
        this.scope = scope;
        this.lastEventId = lastEventId;
        this.variables = variables;
    }

    /** The execution this branch belongs to. */
    public ExecutionContext execution() {
        return execution;
    }

    /** The engine's services. */
    public EngineServices services() {
        return execution.services();
    }

    /** The scope that cancels this branch. */
    public CancellationScope scope() {
        return scope;
    }

    /** The variables visible in this branch. */
    public Variables variables() {
        return variables;
    }

    /** The id of the last event this branch recorded. */
    public long lastEventId() {
        return lastEventId;
    }

    /** Records an event in the execution's history, chained to this branch's previous one. */
    public long emit(HistoryEventType type, Map<String, Object> details) {
        lastEventId = execution.history().add(type, lastEventId, execution.services().clock().now(), details);
        return lastEventId;
    }

    /** Details with a {@code name} and one payload field ({@code input} or {@code output}), as state events have. */
    public static Map<String, Object> stateDetails(String name, String payloadField, JsonNode payload) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name);
        details.put(payloadField, payload);
        return details;
    }

    /** A child branch for a Parallel branch or Map iteration: its own scope, events chained from {@code fromEventId}. */
    public BranchContext child(CancellationScope childScope, long fromEventId, Variables childVariables) {
        return new BranchContext(execution, childScope, fromEventId, childVariables);
    }
}
