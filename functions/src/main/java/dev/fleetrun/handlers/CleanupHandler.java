package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.run.Finisher;
import dev.fleetrun.run.Services;

/** Target of the EventBridge rule on executions that were stopped, failed or timed out: closes the run. */
public final class CleanupHandler extends JsonHandler {
    private final Finisher delegate;

    /** Called by Lambda: services from the environment, built once per process. */
    public CleanupHandler() {
        this(Services.shared());
    }

    public CleanupHandler(Services services) {
        this.delegate = new Finisher(services);
    }

    @Override
    public JsonNode handle(JsonNode input) {
        return delegate.cleanup(input);
    }
}
