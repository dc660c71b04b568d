package dev.fleetrun.infra;

import dev.fleetrun.catalog.FleetrunRules;
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

    /** Delivery retries: beyond two hours the wave wait has timed out and reconcile has polled anyway. */
    static final int RETRY_ATTEMPTS = 50;
    static final Duration MAX_EVENT_AGE = Duration.hours(2);

    private final Rule ssmStatusRule;
    private final Rule executionStatusRule;

    public StatusRouting(Construct scope, String id, List<String> allowedDocuments, ProjectFunction listener,
                         ProjectFunction cleanup, List<String> stateMachineArns, IQueue deadLetterQueue) {
        super(scope, id);
        ssmStatusRule = rule("SsmCommandStatus", FleetrunRules.ssmStatus(allowedDocuments), listener, deadLetterQueue);
        executionStatusRule = rule("ExecutionStatus", FleetrunRules.executionStatus(stateMachineArns), cleanup, deadLetterQueue);
        for (ProjectFunction fn : List.of(listener, cleanup)) {
            fn.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder()
                    .retryAttempts(2)
                    .maxEventAge(MAX_EVENT_AGE)
                    .onFailure(new SqsDestination(deadLetterQueue))
                    .build());
        }
    }

    /** A rule of the shared description ({@link FleetrunRules}, which the embedded runtime installs too), deployed. */
    private Rule rule(String id, FleetrunRules.Rule spec, ProjectFunction target, IQueue deadLetterQueue) {
        if (spec.target() != target.entry()) {
            throw new IllegalArgumentException("rule " + spec.name() + " targets " + spec.target() + ", not " + target.entry());
        }
        return Rule.Builder.create(this, id)
                .description(spec.description())
                .eventPattern(pattern(spec.pattern()))
                .targets(List.of(target(target, deadLetterQueue)))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static EventPattern pattern(Map<String, Object> pattern) {
        return EventPattern.builder()
                .source((List<String>) pattern.get("source"))
                .detailType((List<String>) pattern.get("detail-type"))
                .detail((Map<String, Object>) pattern.get("detail"))
                .build();
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
