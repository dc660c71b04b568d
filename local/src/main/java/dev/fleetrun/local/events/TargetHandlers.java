package dev.fleetrun.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.lambda.LambdaRegistry;
import dev.fleetrun.local.lambda.LambdaServiceException;
import dev.fleetrun.local.sfn.engine.SfnException;
import dev.fleetrun.local.sfn.engine.StepFunctionsService;
import dev.fleetrun.local.sqs.SqsService;
import dev.fleetrun.local.wire.AwsError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the bus hands events to targets, by the kind of target ARN: Lambda functions, state machines, SQS queues
 * ({@link #sqs}), or whatever a test plugs in. The runtime's handlers ({@link #forRuntime}) invoke Lambda functions
 * asynchronously (so Lambda's own retries apply) and start executions.
 */
public final class TargetHandlers {

    /** Hands one event to one target. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param arn   the target's ARN
         * @param input what the target gets: the event, or its transformed input (a text node for text input)
         * @throws TargetDeliveryException when the target refuses it, saying whether to retry
         */
        void deliver(String arn, JsonNode input) throws TargetDeliveryException;
    }

    /** Lambda function ARNs (a qualifier is allowed). */
    public static final Pattern LAMBDA_FUNCTION = Pattern.compile("arn:aws[a-z-]*:lambda:[^:]+:\\d{12}:function:[^:]+(:[^:]+)?");
    /** State machine ARNs. */
    public static final Pattern STATE_MACHINE = Pattern.compile("arn:aws[a-z-]*:states:[^:]+:\\d{12}:stateMachine:[^:]+");
    /** SQS queue ARNs. */
    public static final Pattern SQS_QUEUE = Pattern.compile("arn:aws[a-z-]*:sqs:[^:]+:\\d{12}:[^:]+");

    private record Kind(String name, Pattern arns, Handler handler) {
    }

    private final List<Kind> kinds = new ArrayList<>();

    /** Delivers to Lambda function ARNs with {@code handler}. */
    public TargetHandlers lambda(Handler handler) {
        return kind("Lambda functions", LAMBDA_FUNCTION, handler);
    }

    /** Delivers to state machine ARNs with {@code handler}. */
    public TargetHandlers stateMachine(Handler handler) {
        return kind("state machines", STATE_MACHINE, handler);
    }

    /**
     * Delivers to SQS queue ARNs: the target's input becomes the message body (a text input as it is, JSON as its
     * text), as EventBridge sends to a queue target. A queue that does not exist is not retried.
     */
    public TargetHandlers sqs(SqsService sqs) {
        return kind("SQS queues", SQS_QUEUE, (arn, input) -> {
            try {
                sqs.send(arn, input.isTextual() ? input.textValue() : input.toString(), Map.of(), "events.amazonaws.com");
            } catch (AwsError e) {
                throw new TargetDeliveryException(e.code() + ": " + e.getMessage(), false);
            }
        });
    }

    /** Delivers to ARNs that match {@code arns} with {@code handler}; {@code name} is for messages. */
    public TargetHandlers kind(String name, Pattern arns, Handler handler) {
        kinds.add(new Kind(name, arns, handler));
        return this;
    }

    /** The handler for a target ARN, if any. */
    public Optional<Handler> find(String arn) {
        return kinds.stream().filter(k -> k.arns().matcher(arn).matches()).map(Kind::handler).findFirst();
    }

    /** What targets can be delivered to, for messages. */
    public List<String> describe() {
        return kinds.stream().map(Kind::name).toList();
    }

    /**
     * The runtime's handlers: a Lambda target is invoked asynchronously through {@code lambdas} (a missing
     * function is not retried), a state machine target starts an execution with a generated name through
     * {@code stepFunctions} (a missing state machine or bad input is not retried).
     */
    public static TargetHandlers forRuntime(LambdaRegistry lambdas, StepFunctionsService stepFunctions) {
        Set<String> permanent = Set.of("StateMachineDoesNotExist", "InvalidExecutionInput", "InvalidArn",
                "StateMachineDeleting", "InvalidName");
        return new TargetHandlers()
                .lambda((arn, input) -> {
                    try {
                        lambdas.invokeAsync(arn, input);
                    } catch (LambdaServiceException e) {
                        throw new TargetDeliveryException(e.code() + ": " + e.getMessage(), e.retriable());
                    }
                })
                .stateMachine((arn, input) -> {
                    try {
                        stepFunctions.startExecution(arn, null, input.isTextual() ? input.textValue() : input.toString());
                    } catch (SfnException e) {
                        throw new TargetDeliveryException(e.code() + ": " + e.getMessage(), !permanent.contains(e.code()));
                    }
                });
    }
}
