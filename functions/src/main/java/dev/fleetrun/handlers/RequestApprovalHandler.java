package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.run.Approvals;
import dev.fleetrun.run.RunState;
import dev.fleetrun.run.Services;

/**
 * The gate between waves: without a task token (the Hold step) it decides what the run waits on (pause, bake,
 * approval, or nothing); with one (Bake, RequestApproval, Paused) it records the token the wait ends with and
 * announces an approval gate.
 */
public final class RequestApprovalHandler extends JsonHandler {
    private final Approvals delegate;

    /** Called by Lambda: services from the environment, built once per process. */
    public RequestApprovalHandler() {
        this(Services.shared());
    }

    public RequestApprovalHandler(Services services) {
        this.delegate = new Approvals(services);
    }

    @Override
    public JsonNode handle(JsonNode input) {
        RunState state = RunState.of(required(input, "state", "RequestApproval"));
        if (!input.has("taskToken")) {
            return delegate.decide(state);
        }
        delegate.park(state, required(input, "taskToken", "RequestApproval").asText());
        return Json.object().put("waiting", true);
    }
}
