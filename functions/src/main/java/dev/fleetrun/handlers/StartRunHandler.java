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
        // The request is the execution input as given: JSON null, a list or a number is a request the parser refuses
        // (Fleetrun.InvalidInput, at once), not a malformed invocation to retry.
        JsonNode request = input.has("request") ? input.get("request") : com.fasterxml.jackson.databind.node.NullNode.getInstance();
        return delegate.start(request, required(input, "execution", "StartRun"));
    }
}
