package dev.fleetrun.local.sfn.moto;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fleetrun.local.sfn.json.Json;
import java.time.Duration;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * Runs definitions on moto's Step Functions through the AWS SDK, as a user of AWS would: CreateStateMachine,
 * StartExecution, then DescribeExecution until the execution ends.
 */
public final class MotoStepFunctions {

    /** The role every state machine gets (moto does not check it). */
    public static final String ROLE_ARN = "arn:aws:iam::123456789012:role/fleetrun-differential";

    private static final Duration POLL = Duration.ofMillis(10);

    private final SfnClient sfn;

    public MotoStepFunctions(SfnClient sfn) {
        this.sfn = sfn;
    }

    /** CreateStateMachine (STANDARD); returns its ARN. */
    public String createStateMachine(String name, String definition) {
        return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE_ARN)).stateMachineArn();
    }

    /** StartExecution; returns the execution's ARN. */
    public String start(String stateMachineArn, String executionName, String input) {
        return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(executionName).input(input)).executionArn();
    }

    /**
     * Polls DescribeExecution until the execution ends.
     *
     * @throws IllegalStateException if it still runs after {@code timeout}
     */
    public RunOutcome await(String executionArn, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (execution.status() != ExecutionStatus.RUNNING) {
                return new RunOutcome(execution.statusAsString(), parse(execution.output()), execution.error(), execution.cause());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(executionArn + " still runs on moto after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(POLL);
        }
    }

    /**
     * Creates a state machine, runs one execution of it and waits for its end. A definition moto refuses gives
     * the outcome {@link RunOutcome#REFUSED}, with the error code and message.
     */
    public RunOutcome run(String machineName, String definition, String executionName, String input, Duration timeout)
            throws InterruptedException {
        String machineArn;
        try {
            machineArn = createStateMachine(machineName, definition);
        } catch (SfnException e) {
            if (e.statusCode() != 400) {
                throw e;
            }
            return new RunOutcome(RunOutcome.REFUSED, null, e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
        }
        return await(start(machineArn, executionName, input), timeout);
    }

    /** The execution's state transitions: the states it entered, as GetExecutionHistory lists them. */
    public long stateTransitions(String executionArn) {
        return sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn).maxResults(1000)).events().stream()
                .map(HistoryEvent::typeAsString)
                .filter(type -> type.endsWith("StateEntered"))
                .count();
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String output) {
        if (output == null) {
            return null;
        }
        try {
            return Json.parse(output);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("moto returned an output that is not JSON: " + output, e);
        }
    }
}
