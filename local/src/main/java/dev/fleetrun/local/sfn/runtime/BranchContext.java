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
    private final Journal journal;
    private final Journal resumeFrom;
    private long lastEventId;

    public BranchContext(ExecutionContext execution, CancellationScope scope, long lastEventId, Variables variables) {
        this(execution, scope, lastEventId, variables, new Journal(), null);
    }

    /**
     * A branch that records where it gets to in {@code journal} and, when it is redriven, starts where
     * {@code resumeFrom} (the journal of the attempt redriven) stopped.
     */
    public BranchContext(ExecutionContext execution, CancellationScope scope, long lastEventId, Variables variables,
                         Journal journal, Journal resumeFrom) {
        this.execution = execution;
        this.scope = scope;
        this.lastEventId = lastEventId;
        this.variables = variables;
        this.journal = journal;
        this.resumeFrom = resumeFrom;
        journal.variables(variables);
    }

    /** Where this branch got to (what a redrive resumes from). */
    public Journal journal() {
        return journal;
    }

    /** The journal of the attempt this branch redrives, or {@code null} when it starts from the beginning. */
    public Journal resumeFrom() {
        return resumeFrom;
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

    /**
     * Child branch {@code index} of the Parallel or Map state this branch is in, recording in this branch's
     * journal; a branch that stopped in the attempt redriven resumes where it stopped, with its variables.
     */
    public BranchContext child(CancellationScope childScope, long fromEventId, int index) {
        Journal before = journal.before(index);
        Variables childVariables = before != null && before.variables() != null ? before.variables() : variables.child();
        return new BranchContext(execution, childScope, fromEventId, childVariables, journal.child(index), before);
    }
}
