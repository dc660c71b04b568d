package dev.fleetrun.testing;

import dev.fleetrun.local.wire.WireTree;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The EventBridge events SSM emits for Run Command, in the shape of
 * shared/reference/ssm-events-examples.json: source {@code aws.ssm}, {@code resources} as EC2
 * instance ARNs, {@code time} to the second, detail times with milliseconds, {@code status} the
 * coarse status (never StatusDetails). Hybrid nodes get
 * {@code arn:aws:ssm:<region>:<account>:managed-instance/<id>}; AWS does not document that format.
 */
final class SsmEvents {
    static final String INVOCATION_DETAIL_TYPE = "EC2 Command Invocation Status-change Notification";
    static final String COMMAND_DETAIL_TYPE = "EC2 Command Status-change Notification";

    private SsmEvents() {
    }

    static String invocationEvent(SsmCommand command, SsmInvocation invocation, Instant now) {
        ObjectNode event = envelope(INVOCATION_DETAIL_TYPE, List.of(invocation.instanceId()), now);
        event.putObject("detail")
                .put("command-id", command.commandId)
                .put("document-name", command.document.name())
                .put("instance-id", invocation.instanceId())
                .put("requested-date-time", SsmShapes.isoMillis(command.requestedAt))
                .put("status", invocation.status());
        return json(event);
    }

    static String commandEvent(SsmCommand command, Instant now) {
        ObjectNode event = envelope(COMMAND_DETAIL_TYPE, command.instanceIds(), now);
        ObjectNode detail = event.putObject("detail")
                .put("command-id", command.commandId)
                .put("document-name", command.document.name())
                .put("expire-after", SsmShapes.isoMillis(command.expiresAfter));
        ObjectNode parameters = detail.putObject("parameters");
        command.parameters.forEach((name, values) -> {
            ArrayNode array = parameters.putArray(name);
            values.forEach(array::add);
        });
        detail.put("requested-date-time", SsmShapes.isoMillis(command.requestedAt))
                .put("status", command.rollup().status());
        return json(event);
    }

    private static ObjectNode envelope(String detailType, List<String> instanceIds, Instant now) {
        ObjectNode event = WireTree.object()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", detailType)
                .put("source", "aws.ssm")
                .put("account", FakeAws.ACCOUNT_ID)
                .put("time", now.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", FakeAws.REGION);
        ArrayNode resources = event.putArray("resources");
        instanceIds.forEach(id -> resources.add(arn(id)));
        return event;
    }

    static String arn(String instanceId) {
        if (instanceId.startsWith("mi-")) {
            return "arn:aws:ssm:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":managed-instance/" + instanceId;
        }
        return "arn:aws:ec2:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":instance/" + instanceId;
    }

    private static String json(ObjectNode event) {
        try {
            return WireTree.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
