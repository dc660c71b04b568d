package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.run.RollbackPlanner;
import dev.fleetrun.run.RunState;
import dev.fleetrun.run.Services;

/** After a breach: records the rollback waves; returns the state with the rollback cursor, or {@code decision} DONE. */
public final class RollbackHandler extends JsonHandler {
    private final RollbackPlanner delegate;

    /** Called by Lambda: services from the environment, built once per process. */
    public RollbackHandler() {
        this(Services.shared());
    }

    public RollbackHandler(Services services) {
        this.delegate = new RollbackPlanner(services);
    }

    @Override
    public JsonNode handle(JsonNode input) {
        return delegate.plan(RunState.of(input));
    }
}
