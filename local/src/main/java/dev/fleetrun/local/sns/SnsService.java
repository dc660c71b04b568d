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
 *   <li>CreateTopic (idempotent), DeleteTopic (with its subscriptions), ListTopics, Publish to a topic ARN; publishing
 *       to a topic that does not exist is {@code NotFound}, as in SNS.</li>
 *   <li>Subscriptions of protocol {@code sqs} (the endpoint is a queue ARN; confirmed at once, as SNS confirms a queue
 *       of the same account): Subscribe, Unsubscribe, ListSubscriptions, ListSubscriptionsByTopic,
 *       GetSubscriptionAttributes, SetSubscriptionAttributes. Each message published to the topic is delivered to
 *       each subscribed queue ({@link #deliverToQueues}) in SNS's JSON envelope ({@code Type: Notification},
 *       MessageId, TopicArn, Subject, Message, Timestamp, SignatureVersion, Signature, SigningCertURL,
 *       UnsubscribeURL, MessageAttributes), or as the message itself with its attributes as SQS message attributes
 *       when the subscription has {@code RawMessageDelivery} true. A delivery the queue refuses (it does not exist)
 *       is dropped and kept in {@link #failedDeliveries()}, where SNS would retry it and then drop it. The signature
 *       is not one AWS made: nothing here has SNS's signing key.</li>
 *   <li>Publish checks what SNS checks: a non-empty Message of at most 256 KiB, a Subject of at most 100 printable
 *       ASCII characters, {@code MessageStructure=json} messages with a {@code default} key, a
 *       {@code MessageGroupId} for FIFO topics.</li>
 *   <li>Messages are kept ({@link #messages()}) and, when the service was given a file, appended to it as one JSON
 *       object per line ({@code timestamp, topicArn, messageId, subject, message, messageAttributes}), so that
 *       {@code fleetrun} and a person can read the alerts.</li>
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

    /** A subscription: its ARN, topic, protocol ({@code sqs}), endpoint (a queue ARN) and attributes as set. */
    public record Subscription(String arn, String topicArn, String protocol, String endpoint, Map<String, String> attributes) {
        /** Whether messages go to the queue as they are, instead of in SNS's JSON envelope. */
        public boolean raw() {
            return "true".equalsIgnoreCase(attributes.getOrDefault("RawMessageDelivery", "false"));
        }
    }

    /** A message that could not be delivered to a subscription, and why. */
    public record FailedDelivery(String subscriptionArn, String messageId, String reason) {
    }

    /** Where the messages of {@code sqs} subscriptions go: the runtime's SQS. */
    @FunctionalInterface
    public interface QueueSender {
        /**
         * Puts a message in the queue of this ARN.
         *
         * @throws RuntimeException when the queue refuses it (for example, it does not exist)
         */
        void send(String queueArn, String body, Map<String, dev.fleetrun.local.sqs.MessageAttribute> attributes);
    }

    private static final List<String> PROTOCOLS = List.of("http", "https", "email", "email-json", "sms", "sqs",
            "application", "lambda", "firehose");
    private static final List<String> OTHER_SUBSCRIPTION_ATTRIBUTES = List.of("DeliveryPolicy", "FilterPolicy",
            "FilterPolicyScope", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy");
    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private final String region;
    private final String accountId;
    private final Path messageLog;
    private final Map<String, String> topics = new TreeMap<>();
    private final List<Message> messages = new ArrayList<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final List<FailedDelivery> failedDeliveries = new ArrayList<>();
    private QueueSender queues;

    /**
     * @param clock      where timestamps come from
     * @param messageLog the file every message is appended to (created with its directories), or null for none
     */
    public SnsService(Clock clock, Path messageLog) {
        this(clock, messageLog, "us-east-1", "123456789012");
    }

    public SnsService(Clock clock, Path messageLog, String region, String accountId) {
        super("sns", new AwsQueryProtocol(NAMESPACE), List.of("CreateTopic", "DeleteTopic", "ListTopics", "Publish",
                "Subscribe", "Unsubscribe", "ListSubscriptions", "ListSubscriptionsByTopic", "GetSubscriptionAttributes",
                "SetSubscriptionAttributes"), clock);
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

    /** Delivers the messages of {@code sqs} subscriptions with {@code sender}; without one, Subscribe refuses them. */
    public synchronized SnsService deliverToQueues(QueueSender sender) {
        this.queues = sender;
        return this;
    }

    /** Subscribes a queue to a topic, as Subscribe does; returns the subscription's ARN. */
    public synchronized String subscribeQueue(String topicArn, String queueArn, boolean raw) {
        ObjectNode form = WireTree.object().put("TopicArn", topicArn).put("Protocol", "sqs").put("Endpoint", queueArn);
        if (raw) {
            form.put("Attributes.entry.1.key", "RawMessageDelivery").put("Attributes.entry.1.value", "true");
        }
        return subscribe(form).path("SubscriptionArn").asText();
    }

    /** The subscriptions, in the order they were made. */
    public synchronized List<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    /** The deliveries that failed, in order. */
    public synchronized List<FailedDelivery> failedDeliveries() {
        return List.copyOf(failedDeliveries);
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
                String topicArn = RequestFields.requiredText(input, "TopicArn");
                topics.remove(topicArn);
                subscriptions.values().removeIf(s -> s.topicArn().equals(topicArn));
                yield WireTree.object();
            }
            case "ListTopics" -> listTopics(input);
            case "Publish" -> publish(input);
            case "Subscribe" -> subscribe(input);
            case "Unsubscribe" -> {
                subscriptions.remove(subscription(input).arn());
                yield WireTree.object();
            }
            case "ListSubscriptions" -> listSubscriptions(List.copyOf(subscriptions.values()), input);
            case "ListSubscriptionsByTopic" -> {
                String topicArn = RequestFields.requiredText(input, "TopicArn");
                requireTopic(topicArn);
                yield listSubscriptions(subscriptions.values().stream().filter(s -> s.topicArn().equals(topicArn)).toList(),
                        input);
            }
            case "GetSubscriptionAttributes" -> getSubscriptionAttributes(input);
            case "SetSubscriptionAttributes" -> setSubscriptionAttributes(input);
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
        requireTopic(topicArn);
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
        String forQueues = message;
        if ("json".equals(optionalText(input, "MessageStructure", null))) {
            JsonNode structured = parse(message);
            forQueues = structured.path("sqs").isTextual() ? structured.get("sqs").asText() : structured.get("default").asText();
        }
        deliver(accepted, forQueues);
        ObjectNode answer = WireTree.object().put("MessageId", accepted.messageId());
        if (topicArn.endsWith(".fifo")) {
            answer.put("SequenceNumber", String.format("%020d", messages.size()));
        }
        return answer;
    }

    private void requireTopic(String topicArn) {
        if (!topics.containsKey(topicArn)) {
            throw new AwsError("NotFound", "Topic does not exist (" + topicArn + "; this runtime has "
                    + (topics.isEmpty() ? "no topics" : "topics " + topics.keySet()) + ")", 404, null);
        }
    }

    private JsonNode subscribe(JsonNode input) {
        String topicArn = RequestFields.requiredText(input, "TopicArn");
        String protocol = RequestFields.requiredText(input, "Protocol");
        String endpoint = optionalText(input, "Endpoint", null);
        if (!PROTOCOLS.contains(protocol)) {
            throw invalid("Protocol", "Amazon SNS does not support this protocol string: " + protocol);
        }
        requireTopic(topicArn);
        if (!protocol.equals("sqs")) {
            throw AwsError.notImplemented("subscriptions of protocol " + protocol, "subscribe an SQS queue (--protocol sqs"
                    + " --notification-endpoint QUEUE_ARN) and read it with ReceiveMessage");
        }
        if (queues == null) {
            throw AwsError.notImplemented("SQS subscriptions on an endpoint without SQS", "use fleetrun serve, which has SQS");
        }
        if (endpoint == null || !endpoint.matches("arn:aws[a-z-]*:sqs:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,80}(\\.fifo)?")) {
            throw invalid("SQS endpoint ARN", "'" + endpoint + "' is not an SQS queue ARN (arn:aws:sqs:REGION:ACCOUNT:NAME)");
        }
        Map<String, String> attributes = new TreeMap<>();
        for (int n = 1; input.has("Attributes.entry." + n + ".key"); n++) {
            String name = input.get("Attributes.entry." + n + ".key").asText();
            String value = optionalText(input, "Attributes.entry." + n + ".value", "");
            attributes.put(name, checkedAttribute(name, value));
        }
        for (Subscription existing : subscriptions.values()) {
            if (existing.topicArn().equals(topicArn) && existing.protocol().equals(protocol)
                    && existing.endpoint().equals(endpoint)) {
                if (!existing.attributes().equals(attributes)) {
                    throw invalid("Attributes", "Subscription already exists with different attributes");
                }
                return WireTree.object().put("SubscriptionArn", existing.arn());
            }
        }
        Subscription made = new Subscription(topicArn + ":" + UUID.randomUUID(), topicArn, protocol, endpoint, attributes);
        subscriptions.put(made.arn(), made);
        return WireTree.object().put("SubscriptionArn", made.arn());
    }

    /** A subscription attribute this simulation applies (RawMessageDelivery), checked as SNS checks it. */
    private static String checkedAttribute(String name, String value) {
        if (name.equals("RawMessageDelivery")) {
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw invalid("Attributes", "RawMessageDelivery: Invalid value [" + value + "]. Must be true or false.");
            }
            return value.toLowerCase(java.util.Locale.ROOT);
        }
        if (OTHER_SUBSCRIPTION_ATTRIBUTES.contains(name)) {
            throw AwsError.notImplemented("the subscription attribute " + name, "only RawMessageDelivery is applied here");
        }
        throw invalid("AttributeName", "Unknown attribute " + name);
    }

    private Subscription subscription(JsonNode input) {
        String arn = RequestFields.requiredText(input, "SubscriptionArn");
        Subscription subscription = subscriptions.get(arn);
        if (subscription == null) {
            if (!arn.matches("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_.-]+:[0-9a-f-]{36}")) {
                throw invalid("SubscriptionArn", "'" + arn + "' is not a subscription ARN");
            }
            throw new AwsError("NotFound", "Subscription does not exist (" + arn + ")", 404, null);
        }
        return subscription;
    }

    private JsonNode listSubscriptions(List<Subscription> listed, JsonNode input) {
        Page<Subscription> page = Page.of(listed, 100, optionalText(input, "NextToken", null), "InvalidParameter");
        ObjectNode answer = WireTree.object();
        ArrayNode list = answer.putArray("Subscriptions");
        page.items().forEach(s -> list.addObject().put("SubscriptionArn", s.arn()).put("Owner", accountId)
                .put("Protocol", s.protocol()).put("Endpoint", s.endpoint()).put("TopicArn", s.topicArn()));
        if (page.nextToken() != null) {
            answer.put("NextToken", page.nextToken());
        }
        return answer;
    }

    private JsonNode getSubscriptionAttributes(JsonNode input) {
        Subscription s = subscription(input);
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("SubscriptionArn", s.arn());
        attributes.put("TopicArn", s.topicArn());
        attributes.put("Owner", accountId);
        attributes.put("Protocol", s.protocol());
        attributes.put("Endpoint", s.endpoint());
        attributes.put("ConfirmationWasAuthenticated", "true");
        attributes.put("PendingConfirmation", "false");
        attributes.put("RawMessageDelivery", s.raw() ? "true" : "false");
        attributes.put("SubscriptionPrincipal", "arn:aws:iam::" + accountId + ":root");
        ObjectNode answer = WireTree.object();
        answer.set("Attributes", AwsQueryProtocol.map(attributes));
        return answer;
    }

    private JsonNode setSubscriptionAttributes(JsonNode input) {
        Subscription s = subscription(input);
        String name = RequestFields.requiredText(input, "AttributeName");
        String value = checkedAttribute(name, optionalText(input, "AttributeValue", ""));
        Map<String, String> attributes = new TreeMap<>(s.attributes());
        attributes.put(name, value);
        subscriptions.put(s.arn(), new Subscription(s.arn(), s.topicArn(), s.protocol(), s.endpoint(), Map.copyOf(attributes)));
        return WireTree.object();
    }

    /** Hands a published message to each queue subscribed to its topic. */
    private void deliver(Message message, String body) {
        for (Subscription s : List.copyOf(subscriptions.values())) {
            if (!s.topicArn().equals(message.topicArn())) {
                continue;
            }
            try {
                if (s.raw()) {
                    queues.send(s.endpoint(), body, sqsAttributes(message.attributes()));
                } else {
                    queues.send(s.endpoint(), envelope(message, body, s), Map.of());
                }
            } catch (RuntimeException e) {
                failedDeliveries.add(new FailedDelivery(s.arn(), message.messageId(), e.getMessage()));
            }
        }
    }

    /** SNS's JSON envelope of a notification, in the order SNS writes its fields. */
    private String envelope(Message message, String body, Subscription subscription) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("Type", "Notification");
        envelope.put("MessageId", message.messageId());
        envelope.put("TopicArn", message.topicArn());
        if (message.subject() != null) {
            envelope.put("Subject", message.subject());
        }
        envelope.put("Message", body);
        envelope.put("Timestamp", TIMESTAMP.format(message.timestamp()));
        envelope.put("SignatureVersion", "1");
        envelope.put("Signature", java.util.Base64.getEncoder().encodeToString(
                ("not signed by AWS: fleetrun's local SNS " + message.messageId()).getBytes(StandardCharsets.UTF_8)));
        envelope.put("SigningCertURL", "https://sns." + region + ".amazonaws.com/SimpleNotificationService-local.pem");
        envelope.put("UnsubscribeURL", "https://sns." + region + ".amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
                + subscription.arn());
        if (!message.attributes().isEmpty()) {
            ObjectNode attributes = envelope.putObject("MessageAttributes");
            message.attributes().forEach((name, value) -> attributes.putObject(name).put("Type", value.dataType())
                    .put("Value", value.value()));
        }
        return envelope.toString();
    }

    /** SNS message attributes as SQS ones (raw delivery): Binary values from base64, String.Array as String. */
    private static Map<String, dev.fleetrun.local.sqs.MessageAttribute> sqsAttributes(Map<String, MessageAttribute> attributes) {
        Map<String, dev.fleetrun.local.sqs.MessageAttribute> converted = new LinkedHashMap<>();
        attributes.forEach((name, a) -> converted.put(name, a.dataType().startsWith("Binary")
                ? new dev.fleetrun.local.sqs.MessageAttribute(a.dataType(), null, java.util.Base64.getDecoder().decode(a.value()))
                : new dev.fleetrun.local.sqs.MessageAttribute(a.dataType().equals("String.Array") ? "String" : a.dataType(),
                        a.value(), null)));
        return converted;
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
