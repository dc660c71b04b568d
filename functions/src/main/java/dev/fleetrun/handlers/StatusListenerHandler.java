package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.run.StatusRecorder;
import dev.fleetrun.run.Services;

/** Target of the EventBridge rule on SSM status changes: records node results and completes waves. */
public final class StatusListenerHandler extends JsonHandler {
    private final StatusRecorder delegate;

    /** Called by Lambda: services from the environment, built once per process. */
    public StatusListenerHandler() {
        this(Services.shared());
    }

    public StatusListenerHandler(Services services) {
        this.delegate = new StatusRecorder(services);
    }

    @Override
    public JsonNode handle(JsonNode input) {
        return delegate.onEvent(input);
    }
}
