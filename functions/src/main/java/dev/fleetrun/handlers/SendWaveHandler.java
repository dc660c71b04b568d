package dev.fleetrun.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.run.RunState;
import dev.fleetrun.run.WaveSender;
import dev.fleetrun.run.Services;

/** Sends the wave of the state's cursor (or resumes its wait) and registers the task token. Input {@code {"state", "taskToken"}}. */
public final class SendWaveHandler extends JsonHandler {
    private final WaveSender delegate;

    /** Called by Lambda: services from the environment, built once per process. */
    public SendWaveHandler() {
        this(Services.shared());
    }

    public SendWaveHandler(Services services) {
        this.delegate = new WaveSender(services);
    }

    @Override
    public JsonNode handle(JsonNode input) {
        delegate.send(RunState.of(required(input, "state", "SendWave")), required(input, "taskToken", "SendWave").asText());
        return Json.object().put("sent", true);
    }
}
