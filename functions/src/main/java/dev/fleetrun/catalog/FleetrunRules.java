package dev.fleetrun.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The EventBridge rules that feed fleetrun's workflow, as data: the CDK stack deploys them and the
 * embedded runtime installs them from this one description, so the two cannot drift apart.
 */
public final class FleetrunRules {
    /** SSM's two Run Command status-change detail types. */
    public static final List<String> SSM_DETAIL_TYPES = List.of(
            "EC2 Command Status-change Notification", "EC2 Command Invocation Status-change Notification");
    /** The terminal values of SSM's coarse status, the only ones a wave waits for. */
    public static final List<String> TERMINAL_SSM_STATUSES = List.of("Success", "Failed", "TimedOut", "Cancelled");
    /** The detail type of Step Functions' execution status events. */
    public static final String EXECUTION_STATUS_CHANGE = "Step Functions Execution Status Change";
    /** Execution ends that leave work behind: Finish did not run. */
    public static final List<String> UNFINISHED_EXECUTION_STATUSES = List.of("ABORTED", "FAILED", "TIMED_OUT");

    private FleetrunRules() {
    }

    /**
     * One rule: its name, what it is for, the function it invokes and its event pattern (plain maps and
     * lists, as EventBridge's JSON pattern has them).
     */
    public record Rule(String name, String description, FleetrunFunction target, Map<String, Object> pattern) {
    }

    /** SSM's command and invocation status changes of the allowed documents, terminal statuses only, to the listener. */
    public static Rule ssmStatus(List<String> allowedDocuments) {
        Map<String, Object> pattern = new LinkedHashMap<>();
        pattern.put("source", List.of("aws.ssm"));
        pattern.put("detail-type", SSM_DETAIL_TYPES);
        pattern.put("detail", Map.of("document-name", documentNames(allowedDocuments), "status", TERMINAL_SSM_STATUSES));
        return new Rule("fleetrun-ssm-status",
                "fleetrun: SSM Run Command status changes of the allowed documents, terminal statuses, to the status listener",
                FleetrunFunction.STATUS_LISTENER, pattern);
    }

    /** This deployment's executions that were aborted, failed or timed out, to cleanup. */
    public static Rule executionStatus(List<String> stateMachineArns) {
        Map<String, Object> pattern = new LinkedHashMap<>();
        pattern.put("source", List.of("aws.states"));
        pattern.put("detail-type", List.of(EXECUTION_STATUS_CHANGE));
        pattern.put("detail", Map.of("status", UNFINISHED_EXECUTION_STATUSES, "stateMachineArn", stateMachineArns));
        return new Rule("fleetrun-execution-status",
                "fleetrun: executions that were aborted, failed or timed out, to cleanup",
                FleetrunFunction.CLEANUP, pattern);
    }

    /**
     * The {@code document-name} values to match. An allowed document given as an ARN (one shared from another
     * account) matches both as the ARN and as its name, since SSM's events do not document which one they carry.
     */
    public static List<String> documentNames(List<String> allowedDocuments) {
        return allowedDocuments.stream()
                .flatMap(d -> d.startsWith("arn:") && d.contains("document/")
                        ? Stream.of(d, d.substring(d.indexOf("document/") + "document/".length()))
                        : Stream.of(d))
                .distinct()
                .toList();
    }
}
