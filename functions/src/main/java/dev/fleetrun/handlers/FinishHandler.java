package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.run.Finisher;
import dev.fleetrun.run.RunState;
import dev.fleetrun.run.Services;

/** The last step: final status, counts, leases released, events and alerts. Returns the run summary. */
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
        return delegate.finish(RunState.of(input));
    }
}
