package dev.fleetrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.domain.Phase;

/**
 * The compact run context the workflow carries between steps (docs/internals.md, "The state
 * payload"). Steps receive it, change a few fields and return it; it never holds per-node data.
 */
public final class RunState {
    private final ObjectNode node;

    private RunState(ObjectNode node) {
        this.node = node;
    }

    /** Wraps a state received from the workflow; it must at least name the run. */
    public static RunState of(JsonNode json) {
        if (json == null || !json.isObject() || !json.hasNonNull("runId")) {
            throw new IllegalArgumentException("the step input is not a fleetrun run state: it has no runId");
        }
        return new RunState(((ObjectNode) json).deepCopy());
    }

    public static RunState create(String runId) {
        ObjectNode n = dev.fleetrun.aws.Json.object();
        n.put("runId", runId);
        return new RunState(n);
    }

    public String runId() {
        return node.get("runId").asText();
    }

    public Phase phase() {
        JsonNode c = node.path("cursor");
        return c.has("phase") ? Phase.fromId(c.get("phase").asText()) : Phase.MAIN;
    }

    public int wave() {
        return node.path("cursor").path("wave").asInt(1);
    }

    public RunState cursor(Phase phase, int wave) {
        ObjectNode c = node.putObject("cursor");
        c.put("phase", phase.id());
        c.put("wave", wave);
        return this;
    }

    /**
     * Sets how long the next waits may last ({@code waitTimeoutSeconds}, SendWave's TimeoutSecondsPath) and how
     * long one may go without news ({@code heartbeatSeconds}, never longer than the wait itself).
     */
    public RunState waitBounds(int waitTimeoutSeconds, int heartbeatSeconds) {
        node.put("waitTimeoutSeconds", waitTimeoutSeconds);
        node.put("heartbeatSeconds", Math.min(heartbeatSeconds, waitTimeoutSeconds));
        return this;
    }

    public boolean hasFailure() {
        return node.hasNonNull("failure");
    }

    /** The error a Catch recorded ({@code {"Error": ..., "Cause": ...}}), or null. */
    public JsonNode failure() {
        return node.get("failure");
    }

    public String decision() {
        return node.path("decision").asText("");
    }

    public ObjectNode json() {
        return node;
    }
}
