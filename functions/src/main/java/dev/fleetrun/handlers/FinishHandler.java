package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.run.Finisher;
import dev.fleetrun.run.RunState;
import dev.fleetrun.run.Services;

/**
 * The last step: final status, counts, leases released, events and alerts. Returns the run summary. With
 * {@code {"heldRun": ...}} it is HoldForResume instead, where a run that failed on a workflow error stops and a
 * redrive resumes it ({@link Finisher#hold}).
 */
public final class FinishHandler extends JsonHandler {
    private final Finisher delegate;

    /** Called by Lambda: services from the environment, built once per process. */
    public FinishHandler() {
        this(Services.shared());
    }

    public FinishHandler(Services services) {
        this.delegate = new Finisher(services);
    }

    @Override
    public JsonNode handle(JsonNode input) {
        if (input != null && input.has("heldRun")) {
            // HoldForResume (lambda:invoke.waitForTaskToken): the task is ended with the token, not this answer.
            delegate.hold(input);
            return dev.fleetrun.aws.Json.object().put("held", true);
        }
        return delegate.finish(RunState.of(input));
    }
}
