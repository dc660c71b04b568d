package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.run.Approvals;
import dev.fleetrun.run.RunState;
import dev.fleetrun.run.Services;

/** The approval gate: records the task token on the run and announces that approval is needed. */
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
        delegate.request(RunState.of(required(input, "state", "RequestApproval")), required(input, "taskToken", "RequestApproval").asText());
        return Json.object().put("waiting", true);
    }
}
