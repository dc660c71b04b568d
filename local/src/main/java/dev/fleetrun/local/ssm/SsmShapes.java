package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The SSM answer shapes ({@code Command}, {@code CommandInvocation}, {@code CommandPlugin},
 * {@code GetCommandInvocation}'s result, {@code InstanceInformation}) with the member names and
 * limits of the service model; output is cut as the agent cuts it ({@link AgentOutput}).
 * GetCommandInvocation's execution times are strings ("" before the start), as in SSM.
 */
public final class SsmShapes {
    public static final String AGENT_VERSION = "3.3.1142.0";
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String region;
    private final OutputDestinations output;

    /** @param region the region the answers name (OutputS3Region, S3 output URLs, in AWS's form) */
    public SsmShapes(String region) {
        this(region, OutputDestinations.NONE);
    }

    /** @param output where output goes, and so what its URLs are */
    public SsmShapes(String region, OutputDestinations output) {
        this.region = region;
        this.output = output;
    }

    public ObjectNode command(SsmCommand command) {
        CommandRollup rollup = command.rollup();
        ObjectNode shape = WireTree.object()
                .put("CommandId", command.commandId())
                .put("DocumentName", command.document().name())
                .put("DocumentVersion", command.documentVersion())
                .put("Comment", command.comment());
        shape.putPOJO("ExpiresAfter", command.expiresAfter());
        shape.set("Parameters", parameters(command.parameters()));
        ArrayNode ids = shape.putArray("InstanceIds");
        command.input().instanceIds().forEach(ids::add);
        ArrayNode targets = shape.putArray("Targets");
        command.input().targets().forEach(target -> {
            ArrayNode values = targets.addObject().put("Key", target.key()).putArray("Values");
            target.values().forEach(values::add);
        });
        shape.putPOJO("RequestedDateTime", command.requestedAt());
        shape.put("Status", rollup.status()).put("StatusDetails", rollup.statusDetails());
        copyOutputLocation(command.request(), shape);
        shape.put("MaxConcurrency", command.maxConcurrency()).put("MaxErrors", command.maxErrors())
                .put("TargetCount", rollup.targetCount()).put("CompletedCount", rollup.completedCount())
                .put("ErrorCount", rollup.errorCount()).put("DeliveryTimedOutCount", rollup.deliveryTimedOutCount());
        copyNotifications(command.request(), shape);
        shape.put("TimeoutSeconds", command.timeoutSeconds());
        if (RequestFields.has(command.request(), "AlarmConfiguration")) {
            shape.set("AlarmConfiguration", command.request().get("AlarmConfiguration"));
        }
        return shape;
    }

    /** A {@code CommandInvocation}; {@code CommandPlugins} stays empty unless {@code details}, as in SSM. */
    public ObjectNode invocation(SsmCommand command, SsmInvocation invocation, boolean details) {
        ObjectNode shape = WireTree.object()
                .put("CommandId", command.commandId())
                .put("InstanceId", invocation.instanceId())
                .put("InstanceName", "")
                .put("Comment", command.comment())
                .put("DocumentName", command.document().name())
                .put("DocumentVersion", command.documentVersion());
        shape.putPOJO("RequestedDateTime", command.requestedAt());
        shape.put("Status", invocation.status()).put("StatusDetails", invocation.statusDetails())
                .put("TraceOutput", "")
                .put("StandardOutputUrl", outputUrl(command, invocation, "stdout"))
                .put("StandardErrorUrl", outputUrl(command, invocation, "stderr"));
        ArrayNode plugins = shape.putArray("CommandPlugins");
        if (details) {
            plugins.add(plugin(command, invocation));
        }
        copyNotifications(command.request(), shape);
        return shape;
    }

    public ObjectNode getInvocation(SsmCommand command, SsmInvocation invocation) {
        InvocationOutcome outcome = invocation.outcome();
        ObjectNode shape = WireTree.object()
                .put("CommandId", command.commandId())
                .put("InstanceId", invocation.instanceId())
                .put("Comment", command.comment())
                .put("DocumentName", command.document().name())
                .put("DocumentVersion", command.documentVersion())
                .put("PluginName", command.document().stepName())
                .put("ResponseCode", outcome.responseCode())
                .put("ExecutionStartDateTime", text(invocation.executionStart()))
                .put("ExecutionElapsedTime", elapsed(invocation))
                .put("ExecutionEndDateTime", text(invocation.executionEnd()))
                .put("Status", outcome.status())
                .put("StatusDetails", outcome.statusDetails())
                .put("StandardOutputContent", AgentOutput.standardOutput(outcome.stdout()))
                .put("StandardOutputUrl", outputUrl(command, invocation, "stdout"))
                .put("StandardErrorContent", AgentOutput.standardError(outcome.stderr()))
                .put("StandardErrorUrl", outputUrl(command, invocation, "stderr"));
        if (RequestFields.has(command.request(), "CloudWatchOutputConfig")) {
            shape.set("CloudWatchOutputConfig", command.request().get("CloudWatchOutputConfig"));
        }
        return shape;
    }

    public ObjectNode instanceInformation(ManagedNode node, Instant lastPing) {
        ObjectNode shape = WireTree.object()
                .put("InstanceId", node.instanceId())
                .put("PingStatus", node.pingStatus());
        shape.putPOJO("LastPingDateTime", lastPing);
        shape.put("AgentVersion", AGENT_VERSION)
                .put("IsLatestVersion", true)
                .put("PlatformType", node.platformType())
                .put("PlatformName", node.platformName())
                .put("PlatformVersion", node.platformVersion())
                .put("ResourceType", node.resourceType())
                .put("SourceId", node.instanceId())
                .put("SourceType", node.sourceType());
        if (node.instanceId().startsWith("mi-")) {
            shape.putPOJO("RegistrationDate", node.registeredAt());
        }
        return shape;
    }

    private ObjectNode plugin(SsmCommand command, SsmInvocation invocation) {
        InvocationOutcome outcome = invocation.outcome();
        ObjectNode shape = WireTree.object()
                .put("Name", command.document().stepName())
                .put("Status", pluginStatus(outcome.status()))
                .put("StatusDetails", outcome.statusDetails())
                .put("ResponseCode", outcome.responseCode());
        if (invocation.executionStart() != null) {
            shape.putPOJO("ResponseStartDateTime", invocation.executionStart());
        }
        if (invocation.executionEnd() != null) {
            shape.putPOJO("ResponseFinishDateTime", invocation.executionEnd());
        }
        shape.put("Output", AgentOutput.pluginOutput(outcome.stdout(), outcome.stderr(), outcome.responseCode()))
                .put("StandardOutputUrl", outputUrl(command, invocation, "stdout"))
                .put("StandardErrorUrl", outputUrl(command, invocation, "stderr"));
        copyOutputLocation(command.request(), shape);
        return shape;
    }

    /** CommandPluginStatus has no Delayed or Cancelling. */
    private static String pluginStatus(String invocationStatus) {
        return switch (invocationStatus) {
            case "Delayed" -> "Pending";
            case "Cancelling" -> "InProgress";
            default -> invocationStatus;
        };
    }

    /** The S3 URL of an output stream, in the layout the agent writes ({@link OutputLayout}); "" without OutputS3BucketName. */
    private String outputUrl(SsmCommand command, SsmInvocation invocation, String stream) {
        String bucket = RequestFields.optionalText(command.request(), "OutputS3BucketName", null);
        if (bucket == null) {
            return "";
        }
        String prefix = RequestFields.optionalText(command.request(), "OutputS3KeyPrefix", "");
        return output.objectUrl(region, bucket, OutputLayout.s3Key(prefix, command.commandId(), invocation.instanceId(),
                command.document().action(), command.document().stepName(), stream));
    }

    private void copyOutputLocation(JsonNode request, ObjectNode shape) {
        shape.put("OutputS3Region", region);
        shape.put("OutputS3BucketName", RequestFields.optionalText(request, "OutputS3BucketName", ""));
        shape.put("OutputS3KeyPrefix", RequestFields.optionalText(request, "OutputS3KeyPrefix", ""));
    }

    private static void copyNotifications(JsonNode request, ObjectNode shape) {
        shape.put("ServiceRole", RequestFields.optionalText(request, "ServiceRoleArn", ""));
        for (String field : List.of("NotificationConfig", "CloudWatchOutputConfig")) {
            if (RequestFields.has(request, field)) {
                shape.set(field, request.get(field));
            }
        }
    }

    private static ObjectNode parameters(Map<String, List<String>> parameters) {
        ObjectNode shape = WireTree.object();
        parameters.forEach((name, values) -> {
            ArrayNode array = shape.putArray(name);
            values.forEach(array::add);
        });
        return shape;
    }

    private static String text(Instant instant) {
        return instant == null ? "" : isoMillis(instant);
    }

    /** ISO-8601 in UTC with milliseconds, as SSM writes its times: 2024-05-14T10:00:00.123Z. */
    public static String isoMillis(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    private static String elapsed(SsmInvocation invocation) {
        if (invocation.executionStart() == null || invocation.executionEnd() == null) {
            return "";
        }
        return Duration.between(invocation.executionStart(), invocation.executionEnd()).toString();
    }
}
