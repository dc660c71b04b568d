package dev.fleetrun.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.task.LambdaFunctionError;
import dev.fleetrun.local.sfn.task.LambdaFunctions;
import dev.fleetrun.local.sfn.time.EngineClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lambda functions played from data, for tests: each function name maps to a script of steps, one per call
 * (the last step repeats). A step is one of
 * <ul>
 *   <li>{@code {"return": <json>}}: returns the value;</li>
 *   <li>{@code {"echo": true}}: returns its payload;</li>
 *   <li>{@code {"fail": {"error": "E", "cause": "C"}}}: fails with that error type and message;</li>
 *   <li>{@code {"sleep": seconds, ...}}: first sleeps that long on the engine's clock, then does the rest;</li>
 *   <li>{@code {"callback": {"success": <json>} | {"failure": {"error", "cause"}}, "after": seconds,
 *       "heartbeats": n, "every": seconds}}: for {@code .waitForTaskToken} tasks whose payload carries the token in
 *       {@code taskToken}: answers the token later, from a thread of its own, after sending heartbeats.</li>
 * </ul>
 * Every call is recorded.
 */
public final class PlayedFunctions implements LambdaFunctions {

    private final Map<String, JsonNode> scripts = new HashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private final List<Call> recorded = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<StepFunctionsEngine> engine = new AtomicReference<>();
    private final AtomicReference<EngineClock> clock = new AtomicReference<>();

    /** One recorded call. */
    public record Call(String function, JsonNode payload) {
    }

    /** Functions from a JSON object: name to a step or an array of steps. */
    public PlayedFunctions(JsonNode functions) {
        if (functions != null) {
            functions.properties().forEach(e -> scripts.put(e.getKey(), e.getValue()));
        }
    }

    /** Connects the engine whose clock sleeps and whose tokens callbacks answer. */
    public void attach(StepFunctionsEngine value) {
        engine.set(value);
        clock.set(value.clock());
    }

    /** Every call so far, in order. */
    public List<Call> calls() {
        return List.copyOf(recorded);
    }

    @Override
    public Optional<Function> find(String functionName) {
        if (!scripts.containsKey(functionName)) {
            return Optional.empty();
        }
        return Optional.of(payload -> call(functionName, payload));
    }

    private JsonNode call(String name, JsonNode payload) throws Exception {
        recorded.add(new Call(name, payload));
        JsonNode script = scripts.get(name);
        int n;
        synchronized (calls) {
            n = calls.merge(name, 1, Integer::sum) - 1;
        }
        JsonNode step = script.isArray() ? script.get(Math.min(n, script.size() - 1)) : script;
        if (step.has("sleep")) {
            clock.get().sleep(Duration.ofMillis((long) (step.get("sleep").asDouble() * 1000)));
        }
        if (step.has("callback")) {
            scheduleCallback(step, payload.path("taskToken").asText(null));
        }
        if (step.has("fail")) {
            JsonNode fail = step.get("fail");
            throw new LambdaFunctionError(fail.path("error").asText(), fail.path("cause").asText(""));
        }
        if (step.has("echo")) {
            return payload;
        }
        return step.has("return") ? step.get("return") : null;
    }

    private void scheduleCallback(JsonNode step, String token) {
        if (token == null) {
            throw new IllegalStateException("a callback step needs the task token in the payload field 'taskToken'");
        }
        JsonNode callback = step.get("callback");
        EngineClock engineClock = clock.get();
        engineClock.start("callback", () -> {
            try {
                int heartbeats = callback.path("heartbeats").asInt(0);
                for (int i = 0; i < heartbeats; i++) {
                    engineClock.sleep(Duration.ofMillis((long) (callback.path("every").asDouble() * 1000)));
                    engine.get().sendTaskHeartbeat(token);
                }
                engineClock.sleep(Duration.ofMillis((long) (callback.path("after").asDouble(0) * 1000)));
                if (callback.has("success")) {
                    engine.get().sendTaskSuccess(token, callback.get("success").toString());
                } else if (callback.has("failure")) {
                    JsonNode failure = callback.get("failure");
                    engine.get().sendTaskFailure(token, failure.path("error").asText(null), failure.path("cause").asText(null));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the task already ended (timed out): the late answer is refused, as AWS refuses it
            }
        });
    }
}
