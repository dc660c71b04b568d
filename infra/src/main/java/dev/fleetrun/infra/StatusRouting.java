package dev.fleetrun.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The EventBridge rules that feed the workflow from outside:
 * <ul>
 *   <li>SSM's command and invocation status changes, for the allowed documents and terminal statuses only, to the
 *       status listener (the wave waits end there);</li>
 *   <li>the stack's executions that were aborted, failed or timed out, to cleanup (cancel in-flight commands,
 *       release leases, close the run).</li>
 * </ul>
 * Both deliver to the functions' {@code live} alias with an explicit retry policy; what cannot be delivered, and what
 * the function itself failed on after Lambda's own retries, lands in the dead-letter queue (alarmed by
 * {@link Monitoring}).
 */
public final class StatusRouting extends Construct {

    /** SSM's two Run Command status-change detail types. */
    public static final List<String> SSM_DETAIL_TYPES = List.of(
            "EC2 Command Status-change Notification", "EC2 Command Invocation Status-change Notification");
    /** The terminal values of SSM's coarse status, the only ones a wave waits for. */
    public static final List<String> TERMINAL_SSM_STATUSES = List.of("Success", "Failed", "TimedOut", "Cancelled");
    /** Execution ends that leave work behind: Finish did not run. */
    public static final List<String> UNFINISHED_EXECUTION_STATUSES = List.of("ABORTED", "FAILED", "TIMED_OUT");

    /** Delivery retries: beyond two hours the wave wait has timed out and reconcile has polled anyway. */
    static final int RETRY_ATTEMPTS = 50;
    static final Duration MAX_EVENT_AGE = Duration.hours(2);

    private final Rule ssmStatusRule;
    private final Rule executionStatusRule;

    public StatusRouting(Construct scope, String id, List<String> allowedDocuments, ProjectFunction listener,
                         ProjectFunction cleanup, List<String> stateMachineArns, IQueue deadLetterQueue) {
        super(scope, id);
        ssmStatusRule = Rule.Builder.create(this, "SsmCommandStatus")
                .description("fleetrun: SSM Run Command status changes of the allowed documents, terminal statuses,"
                        + " to the status listener")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.ssm"))
                        .detailType(SSM_DETAIL_TYPES)
                        .detail(Map.of("document-name", documentNames(allowedDocuments), "status", TERMINAL_SSM_STATUSES))
                        .build())
                .targets(List.of(target(listener, deadLetterQueue)))
                .build();
        executionStatusRule = Rule.Builder.create(this, "ExecutionStatus")
                .description("fleetrun: executions that were aborted, failed or timed out, to cleanup")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of("Step Functions Execution Status Change"))
                        .detail(Map.of("status", UNFINISHED_EXECUTION_STATUSES, "stateMachineArn", stateMachineArns))
                        .build())
                .targets(List.of(target(cleanup, deadLetterQueue)))
                .build();
        for (ProjectFunction fn : List.of(listener, cleanup)) {
            fn.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder()
                    .retryAttempts(2)
                    .maxEventAge(MAX_EVENT_AGE)
                    .onFailure(new SqsDestination(deadLetterQueue))
                    .build());
        }
    }

    /**
     * The {@code document-name} values to match. An allowed document given as an ARN (one shared from another
     * account) matches both as the ARN and as its name, since SSM's events do not document which one they carry.
     */
    static List<String> documentNames(List<String> allowedDocuments) {
        return allowedDocuments.stream()
                .flatMap(d -> d.startsWith("arn:")
                        ? java.util.stream.Stream.of(d, d.substring(d.indexOf("document/") + "document/".length()))
                        : java.util.stream.Stream.of(d))
                .distinct()
                .toList();
    }

    private static LambdaFunction target(ProjectFunction fn, IQueue deadLetterQueue) {
        return LambdaFunction.Builder.create(fn.alias())
                .deadLetterQueue(deadLetterQueue)
                .retryAttempts(RETRY_ATTEMPTS)
                .maxEventAge(MAX_EVENT_AGE)
                .build();
    }

    public Rule ssmStatusRule() {
        return ssmStatusRule;
    }

    public Rule executionStatusRule() {
        return executionStatusRule;
    }
}
