package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.WireTree;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The EventBridge events SSM emits for Run Command, in the shape of events/ssm/*.json (AWS's
 * examples): source {@code aws.ssm}, {@code resources} as EC2 instance ARNs, {@code time} to the
 * second, detail times with milliseconds, {@code status} the coarse status (never StatusDetails).
 * Hybrid nodes get {@code arn:aws:ssm:<region>:<account>:managed-instance/<id>}; AWS does not
 * document that format.
 */
public final class SsmEvents {
    public static final String SOURCE = "aws.ssm";
    public static final String INVOCATION_DETAIL_TYPE = "EC2 Command Invocation Status-change Notification";
    public static final String COMMAND_DETAIL_TYPE = "EC2 Command Status-change Notification";

    private final String region;
    private final String account;

    public SsmEvents(String region, String account) {
        this.region = region;
        this.account = account;
    }

    /** The {@code EC2 Command Invocation Status-change Notification} for the invocation's current status. */
    public ObjectNode invocationEvent(SsmCommand command, SsmInvocation invocation, Instant now) {
        ObjectNode event = envelope(INVOCATION_DETAIL_TYPE, List.of(invocation.instanceId()), now);
        event.putObject("detail")
                .put("command-id", command.commandId())
                .put("document-name", command.document().name())
                .put("instance-id", invocation.instanceId())
                .put("requested-date-time", SsmShapes.isoMillis(command.requestedAt()))
                .put("status", invocation.status());
        return event;
    }

    /** The {@code EC2 Command Status-change Notification} for the command's current status. */
    public ObjectNode commandEvent(SsmCommand command, Instant now) {
        ObjectNode event = envelope(COMMAND_DETAIL_TYPE, command.instanceIds(), now);
        ObjectNode detail = event.putObject("detail")
                .put("command-id", command.commandId())
                .put("document-name", command.document().name())
                .put("expire-after", SsmShapes.isoMillis(command.expiresAfter()));
        ObjectNode parameters = detail.putObject("parameters");
        command.parameters().forEach((name, values) -> {
            ArrayNode array = parameters.putArray(name);
            values.forEach(array::add);
        });
        detail.put("requested-date-time", SsmShapes.isoMillis(command.requestedAt()))
                .put("status", command.rollup().status());
        return event;
    }

    /** The ARN a node is named by in {@code resources}. */
    public String arn(String instanceId) {
        if (instanceId.startsWith("mi-")) {
            return "arn:aws:ssm:" + region + ":" + account + ":managed-instance/" + instanceId;
        }
        return "arn:aws:ec2:" + region + ":" + account + ":instance/" + instanceId;
    }

    private ObjectNode envelope(String detailType, List<String> instanceIds, Instant now) {
        ObjectNode event = WireTree.object()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", detailType)
                .put("source", SOURCE)
                .put("account", account)
                .put("time", now.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", region);
        ArrayNode resources = event.putArray("resources");
        instanceIds.forEach(id -> resources.add(arn(id)));
        return event;
    }
}
