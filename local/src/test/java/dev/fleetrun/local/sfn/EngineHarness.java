package dev.fleetrun.local.sfn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.DefinitionParser;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.time.VirtualClock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/** An engine on a virtual clock with played Lambda functions, for tests. */
public final class EngineHarness {

    /** The state machine every test execution belongs to. */
    public static final String MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:Test";
    /** The role every test execution runs as. */
    public static final String ROLE_ARN = "arn:aws:iam::123456789012:role/test";

    private static final AtomicInteger NAMES = new AtomicInteger();

    public final VirtualClock clock = new VirtualClock();
    public final TaskInvokers invokers = new TaskInvokers();
    public final PlayedFunctions functions;
    public final StepFunctionsEngine engine;

    public EngineHarness(JsonNode functionScripts) {
        functions = new PlayedFunctions(functionScripts);
        invokers.lambda(functions);
        engine = StepFunctionsEngine.builder().clock(clock).invokers(invokers).random(new Random(7)).build();
        functions.attach(engine);
    }

    public EngineHarness() {
        this(null);
    }

    /** Starts an execution of a definition (JSON text) without waiting. */
    public Execution start(String definition, JsonNode input) {
        return engine.start(DefinitionParser.parse(definition), MACHINE_ARN, "run-" + NAMES.incrementAndGet(), input, ROLE_ARN);
    }

    /** Runs an execution of a definition to its end (10 real seconds at most). */
    public Execution run(String definition, JsonNode input) {
        return finish(start(definition, input));
    }

    /** Runs with input given as JSON text. */
    public Execution run(String definition, String input) {
        try {
            return run(definition, Json.parse(input));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Waits for an execution to end (10 real seconds at most). */
    public static Execution finish(Execution execution) {
        try {
            assertTrue(execution.await(Duration.ofSeconds(10)), "the execution did not end within 10 s of real time: "
                    + execution.history().events());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return execution;
    }

    /** JSON text as a node. */
    public static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
