package dev.fleetrun.local.sns;

import static dev.fleetrun.local.wire.RequestFields.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsQueryProtocol;
import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.Page;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The embedded runtime's SNS: topics, and Publish recorded where a person can read it, over the AWS Query
 * protocol (form-encoded {@code Action=...}, XML answers in {@code http://sns.amazonaws.com/doc/2010-03-31/}).
 * Host it with {@code awsServer.queryService(service)}.
 *
 * <ul>
 *   <li>CreateTopic (idempotent), DeleteTopic, ListTopics, Publish to a topic ARN; publishing to a topic that does
 *       not exist is {@code NotFound}, as in SNS.</li>
 *   <li>Publish checks what SNS checks: a non-empty Message of at most 256 KiB, a Subject of at most 100 printable
 *       ASCII characters, {@code MessageStructure=json} messages with a {@code default} key, a
 *       {@code MessageGroupId} for FIFO topics.</li>
 *   <li>Messages are kept ({@link #messages()}) and, when the service was given a file, appended to it as one JSON
 *       object per line ({@code timestamp, topicArn, messageId, subject, message, messageAttributes}), so that
 *       {@code fleetrun} and a person can read the alerts. No subscriptions: nothing is delivered onwards.</li>
 * </ul>
 */
public final class SnsService extends AwsService {
    /** The XML namespace of SNS's answers. */
    public static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
    private static final String TOPIC_NAME = "[A-Za-z0-9_-]{1,256}(\\.fifo)?";
    private static final int MAX_MESSAGE_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message attribute: its data type ({@code String}, {@code Number}, {@code Binary}, {@code String.Array}) and value. */
    public record MessageAttribute(String dataType, String value) {
    }

    /** A published message. */
    public record Message(String messageId, String topicArn, String subject, String message,
                          Map<String, MessageAttribute> attributes, Instant timestamp) {
    }

    private final String region;
    private final String accountId;
    private final Path messageLog;
    private final Map<String, String> topics = new TreeMap<>();
    private final List<Message> messages = new ArrayList<>();

    /**
     * @param clock      where timestamps come from
     * @param messageLog the file every message is appended to (created with its directories), or null for none
     */
    public SnsService(Clock clock, Path messageLog) {
        this(clock, messageLog, "us-east-1", "123456789012");
    }

    public SnsService(Clock clock, Path messageLog, String region, String accountId) {
        super("sns", new AwsQueryProtocol(NAMESPACE), List.of("CreateTopic", "DeleteTopic", "ListTopics", "Publish"), clock);
        this.messageLog = messageLog;
        this.region = region;
        this.accountId = accountId;
    }

    // ---- the Java view, for the runtime and tests ----

    /** Creates the topic if needed (as CreateTopic does) and returns its ARN. */
    public synchronized String createTopic(String name) {
        if (name == null || !name.matches(TOPIC_NAME)) {
            throw invalid("Name", "'" + name + "' is not a topic name: 1 to 256 letters, digits, '-' or '_' (and .fifo)");
        }
        String arn = "arn:aws:sns:" + region + ":" + accountId + ":" + name;
        topics.putIfAbsent(arn, name);
        return arn;
    }

    /** The topic ARNs, sorted. */
    public synchronized List<String> topicArns() {
        return List.copyOf(topics.keySet());
    }

    /** Every message published, in order. */
    public synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The messages published to one topic, in order. */
    public synchronized List<Message> messages(String topicArn) {
        return messages.stream().filter(m -> m.topicArn().equals(topicArn)).toList();
    }

    /** The file messages are appended to, or null. */
    public Path messageLog() {
        return messageLog;
    }

    // ---- the API ----

    @Override
    protected AwsError throttlingError() {
        return AwsError.of("Throttled", "Rate exceeded");
    }

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        return switch (operation) {
            case "CreateTopic" -> WireTree.object().put("TopicArn", createTopic(optionalText(input, "Name", null)));
            case "DeleteTopic" -> {
                topics.remove(RequestFields.requiredText(input, "TopicArn"));
                yield WireTree.object();
            }
            case "ListTopics" -> listTopics(input);
            case "Publish" -> publish(input);
            default -> throw AwsError.unknownOperation(name(), operation, operations());
        };
    }

    private JsonNode listTopics(JsonNode input) {
        Page<String> page = Page.of(List.copyOf(topics.keySet()), 100, optionalText(input, "NextToken", null),
                "InvalidParameter");
        ObjectNode answer = WireTree.object();
        ArrayNode list = answer.putArray("Topics");
        page.items().forEach(arn -> list.addObject().put("TopicArn", arn));
        if (page.nextToken() != null) {
            answer.put("NextToken", page.nextToken());
        }
        return answer;
    }

    private JsonNode publish(JsonNode input) {
        if (RequestFields.has(input, "PhoneNumber")) {
            throw AwsError.notImplemented("Publish to a PhoneNumber", "publish to a TopicArn");
        }
        String topicArn = optionalText(input, "TopicArn", optionalText(input, "TargetArn", null));
        if (topicArn == null) {
            throw invalid("TopicArn or TargetArn", "TopicArn or TargetArn is required");
        }
        if (!topics.containsKey(topicArn)) {
            throw new AwsError("NotFound", "Topic does not exist (" + topicArn + "; this runtime has "
                    + (topics.isEmpty() ? "no topics" : "topics " + topics.keySet()) + ")", 404, null);
        }
        String message = optionalText(input, "Message", "");
        if (message.isEmpty()) {
            throw invalid("Message", "Empty message");
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            throw invalid("Message", "Message too long");
        }
        if ("json".equals(optionalText(input, "MessageStructure", null))) {
            JsonNode structured = parse(message);
            if (structured == null || !structured.isObject() || !structured.path("default").isTextual()) {
                throw invalid("Message", "Message Structure - JSON message body failed to parse or has no 'default' key");
            }
        }
        String subject = optionalText(input, "Subject", null);
        if (subject != null && (subject.isEmpty() || subject.length() > 100 || !subject.matches("[\\x20-\\x7E]+"))) {
            throw invalid("Subject", "Subject must be 1 to 100 printable ASCII characters, without line breaks");
        }
        if (topicArn.endsWith(".fifo") && !RequestFields.has(input, "MessageGroupId")) {
            throw invalid("MessageGroupId", "The MessageGroupId parameter is required for FIFO topics");
        }
        Message accepted = new Message(UUID.randomUUID().toString(), topicArn, subject, message, attributes(input), now());
        messages.add(accepted);
        append(accepted);
        ObjectNode answer = WireTree.object().put("MessageId", accepted.messageId());
        if (topicArn.endsWith(".fifo")) {
            answer.put("SequenceNumber", String.format("%020d", messages.size()));
        }
        return answer;
    }

    /** {@code MessageAttributes.entry.N.Name} / {@code .Value.DataType} / {@code .Value.StringValue|BinaryValue}. */
    private static Map<String, MessageAttribute> attributes(JsonNode form) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        for (int n = 1; form.has("MessageAttributes.entry." + n + ".Name"); n++) {
            String prefix = "MessageAttributes.entry." + n + ".";
            String name = form.get(prefix + "Name").asText();
            String type = optionalText(form, prefix + "Value.DataType", null);
            if (type == null) {
                throw invalid("MessageAttributes", "The message attribute '" + name + "' must contain non-empty message"
                        + " attribute type.");
            }
            String value = optionalText(form, prefix + "Value.StringValue", optionalText(form, prefix + "Value.BinaryValue", null));
            if (value == null) {
                throw invalid("MessageAttributes", "The message attribute '" + name + "' must contain non-empty message"
                        + " attribute value for message attribute type '" + type + "'.");
            }
            attributes.put(name, new MessageAttribute(type, value));
        }
        return attributes;
    }

    private void append(Message message) {
        if (messageLog == null) {
            return;
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("timestamp", message.timestamp().toString());
        line.put("topicArn", message.topicArn());
        line.put("messageId", message.messageId());
        if (message.subject() != null) {
            line.put("subject", message.subject());
        }
        line.put("message", message.message());
        ObjectNode attributes = line.putObject("messageAttributes");
        message.attributes().forEach((name, value) -> attributes.putObject(name).put("Type", value.dataType())
                .put("Value", value.value()));
        try {
            if (messageLog.getParent() != null) {
                Files.createDirectories(messageLog.getParent());
            }
            Files.writeString(messageLog, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append the SNS message to " + messageLog, e);
        }
    }

    private static JsonNode parse(String text) {
        return WireTree.parseJsonText(text);
    }

    private static AwsError invalid(String parameter, String reason) {
        return AwsError.of("InvalidParameter", "Invalid parameter: " + parameter + " Reason: " + reason);
    }
}
