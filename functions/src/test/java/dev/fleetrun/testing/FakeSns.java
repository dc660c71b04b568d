package dev.fleetrun.testing;

import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsQueryProtocol;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import static dev.fleetrun.local.wire.RequestFields.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SNS {@code Publish} over the AWS Query protocol (form-encoded {@code Action=Publish}, XML answers
 * in {@code http://sns.amazonaws.com/doc/2010-03-31/}): records the messages it accepts.
 * Checks what SNS checks: a well-formed TopicArn, a non-empty Message of at most 256 KiB, a Subject
 * of at most 100 printable ASCII characters without line breaks ({@code InvalidParameter} otherwise).
 * Any well-formed topic ARN is accepted; publishing to endpoints or phone numbers is not simulated.
 */
public final class FakeSns extends AwsService {
    static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
    private static final String TOPIC_ARN_PATTERN = "^arn:aws:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$";
    private static final int MAX_MESSAGE_BYTES = 256 * 1024;

    /** An accepted message; {@code subject} is null when none was sent. */
    public record Published(String messageId, String topicArn, String subject, String message) {
    }

    private final List<Published> published = new ArrayList<>();

    FakeSns(Clock clock) {
        super("sns", new AwsQueryProtocol(NAMESPACE), List.of("Publish"), clock);
    }

    /** Every accepted message, in order. */
    public synchronized List<Published> published() {
        return List.copyOf(published);
    }

    @Override
    protected AwsError throttlingError() {
        return AwsError.of("Throttled", "Rate exceeded");
    }

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        if (!"Publish".equals(operation)) {
            throw AwsError.unknownOperation(name(), operation, operations());
        }
        if (RequestFields.has(input, "TargetArn") || RequestFields.has(input, "PhoneNumber")) {
            throw AwsError.notImplemented("Publish to a TargetArn or PhoneNumber", "publish to a TopicArn");
        }
        String topicArn = optionalText(input, "TopicArn", "");
        if (!topicArn.matches(TOPIC_ARN_PATTERN)) {
            throw invalid("TopicArn", "'" + topicArn + "' is not a topic ARN (arn:aws:sns:<region>:<account>:<name>)");
        }
        String message = optionalText(input, "Message", "");
        if (message.isEmpty()) {
            throw invalid("Message", "Empty message");
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            throw invalid("Message", "Message too long");
        }
        String subject = optionalText(input, "Subject", null);
        if (subject != null && (subject.isEmpty() || subject.length() > 100 || !subject.matches("[\\x20-\\x7E]+"))) {
            throw invalid("Subject", "the subject must be 1 to 100 printable ASCII characters, without line breaks");
        }
        var accepted = new Published(UUID.randomUUID().toString(), topicArn, subject, message);
        published.add(accepted);
        return WireTree.object().put("MessageId", accepted.messageId());
    }

    private static AwsError invalid(String parameter, String reason) {
        return AwsError.of("InvalidParameter", "Invalid parameter: " + parameter + " Reason: " + reason);
    }
}
