package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.run.RunStarter;
import dev.fleetrun.run.Services;

/** Step 1 of a run: validate, resolve, plan, lease, record. Input {@code {"request", "execution"}}, output the run state. */
public final class StartRunHandler extends JsonHandler {
    private final RunStarter delegate;

    /** Called by Lambda: services from the environment, built once per process. */
    public StartRunHandler() {
        this(Services.shared());
    }

    public StartRunHandler(Services services) {
        this.delegate = new RunStarter(services);
    }

    @Override
    public JsonNode handle(JsonNode input) {
        return delegate.start(required(input, "request", "StartRun"), required(input, "execution", "StartRun"));
    }
}
