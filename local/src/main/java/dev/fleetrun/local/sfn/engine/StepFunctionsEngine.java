package dev.fleetrun.local.sfn.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Definition;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.runtime.EngineServices;
import dev.fleetrun.local.sfn.runtime.ExecutionInfo;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.task.TaskTokenException;
import dev.fleetrun.local.sfn.task.TaskTokens;
import dev.fleetrun.local.sfn.time.EngineClock;
import dev.fleetrun.local.sfn.time.ScaledClock;
import java.util.Random;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The Step Functions engine without any protocol around it: starts executions of parsed definitions and
 * takes the task-token calls. The API layer (AWS JSON 1.0) keeps state machines and executions by ARN and
 * calls this; tests call it directly.
 *
 * <pre>{@code
 * var engine = StepFunctionsEngine.builder().clock(new VirtualClock()).invokers(invokers).build();
 * Execution run = engine.start(DefinitionParser.parse(json), machineArn, "run-1", input, roleArn);
 * run.await(Duration.ofSeconds(5));
 * }</pre>
 */
public final class StepFunctionsEngine {

    private final EngineServices services;
    private final Consumer<Execution> onExecutionEnd;

    private StepFunctionsEngine(EngineServices services, Consumer<Execution> onExecutionEnd) {
        this.services = services;
        this.onExecutionEnd = onExecutionEnd;
    }

    /** A builder; every setting has a default (wall clock, no invokers, us-east-1, account 123456789012). */
    public static Builder builder() {
        return new Builder();
    }

    /** The engine's clock. */
    public EngineClock clock() {
        return services.clock();
    }

    /** The engine's services (clock, invokers, tokens). */
    public EngineServices services() {
        return services;
    }

    /**
     * Starts an execution; it runs on its own thread from now on.
     *
     * @param stateMachineArn the ARN of the state machine the definition belongs to
     *                        ({@code arn:aws:states:<region>:<account>:stateMachine:<name>})
     * @param name            the execution's name, unique for the state machine (the caller checks that)
     * @param input           the execution's input
     * @param roleArn         the role the state machine runs as ({@code $$.Execution.RoleArn})
     */
    public Execution start(Definition definition, String stateMachineArn, String name, JsonNode input, String roleArn) {
        String machineName = stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1);
        String executionArn = stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
        ExecutionInfo info = new ExecutionInfo(executionArn, name, stateMachineArn, machineName, roleArn,
                services.clock().now(), input);
        Execution execution = new Execution(info, definition, onExecutionEnd, services.clock());
        execution.start(services);
        return execution;
    }

    /**
     * SendTaskSuccess.
     *
     * @param output the task's result as JSON text
     * @throws TaskTokenException {@code InvalidOutput}, {@code InvalidToken} or {@code TaskTimedOut}
     */
    public void sendTaskSuccess(String taskToken, String output) {
        JsonNode parsed;
        try {
            parsed = Json.parse(output);
        } catch (JsonProcessingException e) {
            throw new TaskTokenException("InvalidOutput", "the output is not JSON: " + Json.problem(e));
        } catch (IllegalArgumentException e) {
            throw new TaskTokenException("InvalidOutput", "the output is not JSON: " + e.getMessage());
        }
        services.tokens().succeed(taskToken, parsed);
    }

    /** SendTaskFailure: the task fails with {@code error} (may be null) and {@code cause} (may be null). */
    public void sendTaskFailure(String taskToken, String error, String cause) {
        services.tokens().fail(taskToken, error, cause);
    }

    /** SendTaskHeartbeat: restarts the task's heartbeat timeout. */
    public void sendTaskHeartbeat(String taskToken) {
        services.tokens().heartbeat(taskToken);
    }

    /** Settings of an engine. */
    public static final class Builder {
        private EngineClock clock = new ScaledClock();
        private TaskInvokers invokers = new TaskInvokers();
        private RandomGenerator random = new Random();
        private String region = "us-east-1";
        private String accountId = "123456789012";
        private Consumer<Execution> onExecutionEnd;

        /** The clock: {@link ScaledClock} (default: wall clock) or, in tests, a virtual one. */
        public Builder clock(EngineClock value) {
            this.clock = value;
            return this;
        }

        /** What runs Task states. */
        public Builder invokers(TaskInvokers value) {
            this.invokers = value;
            return this;
        }

        /** The random source of retry jitter (seed it for repeatable tests). */
        public Builder random(RandomGenerator value) {
            this.random = value;
            return this;
        }

        /** The region ARNs and task events name. */
        public Builder region(String value) {
            this.region = value;
            return this;
        }

        /** The account ARNs name. */
        public Builder accountId(String value) {
            this.accountId = value;
            return this;
        }

        /** Called on the execution's thread when an execution ends (status-change events). */
        public Builder onExecutionEnd(Consumer<Execution> value) {
            this.onExecutionEnd = value;
            return this;
        }

        /** The engine. */
        public StepFunctionsEngine build() {
            return new StepFunctionsEngine(new EngineServices(clock, invokers, new TaskTokens(clock), random, region, accountId),
                    onExecutionEnd);
        }
    }
}
