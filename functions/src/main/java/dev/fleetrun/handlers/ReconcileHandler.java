package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.run.RunState;
import dev.fleetrun.run.StatusRecorder;
import dev.fleetrun.run.Services;

/** After a wave wait timed out: polls SSM for the wave's commands and returns the state with {@code waveResult}. */
public final class ReconcileHandler extends JsonHandler {
    private final StatusRecorder delegate;

    /** Called by Lambda: services from the environment, built once per process. */
    public ReconcileHandler() {
        this(Services.shared());
    }

    public ReconcileHandler(Services services) {
        this.delegate = new StatusRecorder(services);
    }

    @Override
    public JsonNode handle(JsonNode input) {
        return delegate.reconcile(RunState.of(input));
    }
}
