package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.run.Evaluator;
import dev.fleetrun.run.RunState;
import dev.fleetrun.run.Services;

/** After a wave: checks the error budget and the alarms; returns the state with {@code decision}. */
public final class EvaluateHandler extends JsonHandler {
    private final Evaluator delegate;

    /** Called by Lambda: services from the environment, built once per process. */
    public EvaluateHandler() {
        this(Services.shared());
    }

    public EvaluateHandler(Services services) {
        this.delegate = new Evaluator(services);
    }

    @Override
    public JsonNode handle(JsonNode input) {
        return delegate.evaluate(RunState.of(input));
    }
}
