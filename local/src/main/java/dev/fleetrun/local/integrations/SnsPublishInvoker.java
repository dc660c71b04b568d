package dev.fleetrun.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.StatesRuntime;
import dev.fleetrun.local.sfn.task.TaskInvoker;
import dev.fleetrun.local.sfn.task.TaskRequest;
import dev.fleetrun.local.sns.SnsService;
import dev.fleetrun.local.wire.AwsError;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code arn:aws:states:::sns:publish} (and {@code .waitForTaskToken}): publishes through the runtime's
 * {@link SnsService}, with SNS's checks and faults on demand. A {@code Message} that is not a string is sent as
 * its JSON text, as the optimized integration does. The result is {@code {"MessageId", "SdkHttpMetadata",
 * "SdkResponseMetadata"}}; an SNS error fails the task with {@code SNS.<Code>Exception}
 * ({@code SNS.NotFoundException}, {@code SNS.InvalidParameterException}, {@code SNS.ThrottledException}).
 */
public final class SnsPublishInvoker implements TaskInvoker {
    private static final Set<String> SUPPORTED = Set.of("Message", "MessageAttributes", "MessageStructure",
            "MessageDeduplicationId", "MessageGroupId", "PhoneNumber", "Subject", "TargetArn", "TopicArn");

    private final SnsService sns;

    public SnsPublishInvoker(SnsService sns) {
        this.sns = sns;
    }

    @Override
    public JsonNode invoke(TaskRequest request) {
        JsonNode input = request.input();
        Parameters.check("sns:publish", input, SUPPORTED);
        ObjectNode form = SdkMetadata.object();
        for (String field : new String[] {"TopicArn", "TargetArn", "PhoneNumber", "Subject", "MessageStructure",
                "MessageGroupId", "MessageDeduplicationId"}) {
            if (input.hasNonNull(field)) {
                form.put(field, input.get(field).asText());
            }
        }
        if (input.has("Message")) {
            JsonNode message = input.get("Message");
            form.put("Message", message.isTextual() ? message.textValue() : message.toString());
        }
        int n = 0;
        for (Map.Entry<String, JsonNode> attribute : input.path("MessageAttributes").properties()) {
            n++;
            String prefix = "MessageAttributes.entry." + n + ".";
            form.put(prefix + "Name", attribute.getKey());
            JsonNode value = attribute.getValue();
            if (!value.isObject()) {
                throw new StatesRuntime("MessageAttributes." + attribute.getKey() + " must be an object with DataType and"
                        + " StringValue (or BinaryValue)");
            }
            value.properties().forEach(member -> form.put(prefix + "Value." + member.getKey(), member.getValue().asText()));
        }
        String requestId = UUID.randomUUID().toString();
        JsonNode answer;
        try {
            answer = sns.invoke("Publish", form);
        } catch (AwsError e) {
            String name = e.code().endsWith("Exception") ? e.code() : e.code() + "Exception";
            throw AslError.of("SNS." + name, SdkMetadata.cause(e.getMessage(), "AmazonSNS", e.httpStatus(), e.code(),
                    requestId));
        }
        ObjectNode result = SdkMetadata.object();
        result.set("MessageId", answer.get("MessageId"));
        if (answer.has("SequenceNumber")) {
            result.set("SequenceNumber", answer.get("SequenceNumber"));
        }
        SdkMetadata.add(result, SdkMetadata.headers("text/xml", requestId), 200, requestId);
        return result;
    }
}
