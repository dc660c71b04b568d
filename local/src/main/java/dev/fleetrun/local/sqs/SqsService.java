package dev.fleetrun.local.sqs;

import static dev.fleetrun.local.wire.RequestFields.has;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.textList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsJsonProtocol;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.Page;
import dev.fleetrun.local.wire.WireTree;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded runtime's Amazon SQS: standard queues over AWS JSON 1.0 ({@code X-Amz-Target: AmazonSQS.<Operation>},
 * "AWS Query compatible": errors carry the Query code in {@code x-amzn-query-error}), the protocol both the AWS CLI v1
 * (botocore 1.43) and the SDK for Java 2.41 and 2.59 speak to SQS. Host it with {@link #serveOn(AwsServer)}.
 *
 * <ul>
 *   <li>Queue URLs have the endpoint's form, {@code http://127.0.0.1:PORT/123456789012/NAME}; the clients send them as a
 *       request member (to the endpoint they were given), and any URL whose path is {@code /ACCOUNT/NAME} of a queue
 *       here names it.</li>
 *   <li>A received message is invisible for the visibility timeout (the queue's, or the request's), then can be
 *       received again with a new receipt handle and a higher {@code ApproximateReceiveCount}; deleting it takes its
 *       latest receipt handle (an older one succeeds and deletes nothing, as the SQS guide says).</li>
 *   <li>{@code WaitTimeSeconds} (or the queue's {@code ReceiveMessageWaitTimeSeconds}) long-polls: the call waits, in
 *       real time and at most 20 seconds, until a message is there, without holding the service's lock.</li>
 *   <li>Message attributes with SQS's MD5 digests, which the SDK for Java checks; system attributes SenderId,
 *       SentTimestamp, ApproximateReceiveCount, ApproximateFirstReceiveTimestamp.</li>
 *   <li>{@link #send} is the way in for the runtime's SNS subscriptions and EventBridge targets.</li>
 * </ul>
 * Not simulated: FIFO queues, dead-letter queues (RedrivePolicy), encryption, batches, permissions and tags
 * (accepted, not kept). Times (visibility, delays, retention, timestamps) follow the service's clock.
 */
public final class SqsService extends AwsService {
    /** The {@code X-Amz-Target} prefix (the model's {@code targetPrefix}). */
    public static final String TARGET_PREFIX = "AmazonSQS";
    /** AWS JSON 1.0, Query compatible. */
    public static final AwsJsonProtocol PROTOCOL = AwsJsonProtocol.queryCompatible("1.0");
    /** The most a long poll waits, in real time (SQS's limit for WaitTimeSeconds). */
    public static final int MAX_WAIT_SECONDS = 20;
    /** How often (ms) a long poll looks again for messages whose visibility timeout or delay ran out. */
    private static final long RECHECK_MILLIS = 100;
    private static final Duration RECHECK = Duration.ofMillis(RECHECK_MILLIS);
    private static final String QUEUE_NAME = "[A-Za-z0-9_-]{1,80}";
    private static final String ATTRIBUTE_NAME = "[A-Za-z0-9_.-]{1,256}";
    private static final Set<String> SYSTEM_ATTRIBUTES = Set.of("All", "SenderId", "SentTimestamp",
            "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageDeduplicationId",
            "MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn");
    /** Every attribute name GetQueueAttributes knows (the model's QueueAttributeName enum). */
    private static final List<String> QUEUE_ATTRIBUTES = List.of("Policy", "VisibilityTimeout", "MaximumMessageSize",
            "MessageRetentionPeriod", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn", "ApproximateNumberOfMessagesDelayed", "DelaySeconds",
            "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication", "KmsMasterKeyId",
            "KmsDataKeyReusePeriodSeconds", "DeduplicationScope", "FifoThroughputLimit", "RedriveAllowPolicy",
            "SqsManagedSseEnabled");
    /** The attributes a queue here can be created or changed with: name, lowest, highest, default. */
    private static final Map<String, long[]> SETTABLE = Map.of(
            "DelaySeconds", new long[] {0, 900, 0},
            "MaximumMessageSize", new long[] {1024, 1_048_576, 1_048_576},
            "MessageRetentionPeriod", new long[] {60, 1_209_600, 345_600},
            "ReceiveMessageWaitTimeSeconds", new long[] {0, MAX_WAIT_SECONDS, 0},
            "VisibilityTimeout", new long[] {0, 43_200, 30});

    private final String region;
    private final String accountId;
    private final Map<String, Queue> queues = new TreeMap<>();
    private final ReentrantLock arrivalLock = new ReentrantLock();
    private final Condition arrived = arrivalLock.newCondition();
    private final ThreadLocal<LongPoll> pendingPoll = new ThreadLocal<>();
    private volatile long arrivals;
    private volatile String urlBase;

    /** One long poll that found nothing at once: what to look for again, and until when (System.nanoTime). */
    private record LongPoll(String queueUrl, JsonNode input, long deadlineNanos, long arrivalsSeen) {
    }

    private static final class Queue {
        final String name;
        final String arn;
        final Map<String, String> attributes = new LinkedHashMap<>();
        final List<Message> messages = new ArrayList<>();
        final Instant created;
        Instant modified;

        Queue(String name, String arn, Instant created) {
            this.name = name;
            this.arn = arn;
            this.created = created;
            this.modified = created;
        }

        long number(String attribute) {
            return Long.parseLong(attributes.containsKey(attribute) ? attributes.get(attribute)
                    : Long.toString(SETTABLE.get(attribute)[2]));
        }
    }

    private static final class Message {
        final String id;
        final String body;
        final Map<String, MessageAttribute> attributes;
        final Instant sent;
        final String senderId;
        Instant visibleAt;
        int receiveCount;
        Instant firstReceived;
        String receiptHandle;

        Message(String id, String body, Map<String, MessageAttribute> attributes, Instant sent, String senderId,
                Instant visibleAt) {
            this.id = id;
            this.body = body;
            this.attributes = attributes;
            this.sent = sent;
            this.senderId = senderId;
            this.visibleAt = visibleAt;
        }
    }

    public SqsService(Clock clock) {
        this(clock, "us-east-1", "123456789012");
    }

    public SqsService(Clock clock, String region, String accountId) {
        super("sqs", PROTOCOL, List.of("CreateQueue", "GetQueueUrl", "ListQueues", "DeleteQueue", "GetQueueAttributes",
                "SetQueueAttributes", "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility",
                "PurgeQueue"), clock);
        this.region = region;
        this.accountId = accountId;
        this.urlBase = "https://sqs." + region + ".amazonaws.com";
    }

    /** Hosts this service on {@code server}; queue URLs then name the server's endpoint. Returns this service. */
    public SqsService serveOn(AwsServer server) {
        urlBase = server.endpoint().toString();
        server.jsonService(TARGET_PREFIX, this);
        return this;
    }

    // ---- the Java view, for the runtime and tests ----

    /** Creates the queue if needed (as CreateQueue does with no attributes) and returns its URL. */
    public synchronized String createQueue(String name) {
        return createQueue(WireTree.object().put("QueueName", name)).path("QueueUrl").asText();
    }

    /** The ARN of a queue of this account here, by name. */
    public String queueArn(String name) {
        return "arn:aws:sqs:" + region + ":" + accountId + ":" + name;
    }

    /** The URL of a queue here, by name. */
    public String queueUrl(String name) {
        return urlBase + "/" + accountId + "/" + name;
    }

    /**
     * Puts a message in the queue of this ARN, as SNS and EventBridge deliver to a queue they were given.
     *
     * @throws AwsError {@code QueueDoesNotExist} when there is no such queue here
     */
    public synchronized String send(String queueArn, String body, Map<String, MessageAttribute> attributes, String senderId) {
        Queue queue = queues.values().stream().filter(q -> q.arn.equals(queueArn)).findFirst()
                .orElseThrow(() -> noQueue(queueArn));
        return enqueue(queue, body, new LinkedHashMap<>(attributes), 0, senderId).id;
    }

    // ---- the API ----

    @Override
    protected AwsError throttlingError() {
        return new AwsError("RequestThrottled", "Rate exceeded", 400, "RequestThrottled");
    }

    /**
     * Answers a call; a ReceiveMessage that finds nothing and may wait (WaitTimeSeconds) waits here, outside the
     * service's lock, and looks again whenever a message arrives (or every {@value #RECHECK_MILLIS} ms, for
     * messages that become visible again), until one is there or the wait is over.
     */
    @Override
    public JsonNode invoke(String operation, JsonNode input) {
        pendingPoll.remove();
        JsonNode answer = super.invoke(operation, input);
        LongPoll poll = pendingPoll.get();
        pendingPoll.remove();
        if (poll == null) {
            return answer;
        }
        long seen = poll.arrivalsSeen();
        while (true) {
            long remaining = poll.deadlineNanos() - System.nanoTime();
            if (remaining <= 0) {
                return answer;
            }
            try {
                awaitArrival(seen, Math.min(remaining, RECHECK.toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the server is closing: answer with what there is (nothing)
                return answer;
            }
            synchronized (this) {
                seen = arrivals;
                answer = receiveMessage(poll.input(), false);
            }
            if (!answer.path("Messages").isEmpty()) {
                return answer;
            }
        }
    }

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        return switch (operation) {
            case "CreateQueue" -> createQueue(input);
            case "GetQueueUrl" -> getQueueUrl(input);
            case "ListQueues" -> listQueues(input);
            case "DeleteQueue" -> {
                queues.remove(queue(input).name);
                yield WireTree.object();
            }
            case "GetQueueAttributes" -> getQueueAttributes(input);
            case "SetQueueAttributes" -> setQueueAttributes(input);
            case "SendMessage" -> sendMessage(input);
            case "ReceiveMessage" -> receiveMessage(input, true);
            case "DeleteMessage" -> deleteMessage(input);
            case "ChangeMessageVisibility" -> changeMessageVisibility(input);
            case "PurgeQueue" -> {
                queue(input).messages.clear();
                yield WireTree.object();
            }
            default -> throw AwsError.unknownOperation(name(), operation, operations());
        };
    }

    private JsonNode createQueue(JsonNode input) {
        String name = required(input, "QueueName");
        if (name.endsWith(".fifo") || "true".equalsIgnoreCase(input.path("Attributes").path("FifoQueue").asText())) {
            throw AwsError.notImplemented("FIFO queues", "create a standard queue (a name without .fifo)");
        }
        if (!name.matches(QUEUE_NAME)) {
            throw invalidParameter("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
        Map<String, String> attributes = checkedAttributes(input.path("Attributes"));
        Queue existing = queues.get(name);
        if (existing != null) {
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                if (!a.getValue().equals(currentValue(existing, a.getKey()))) {
                    throw new AwsError("QueueNameExists", "A queue already exists with the same name and a different value"
                            + " for attribute " + a.getKey(), 400, "QueueAlreadyExists");
                }
            }
            return WireTree.object().put("QueueUrl", queueUrl(name));
        }
        Queue queue = new Queue(name, queueArn(name), now());
        queue.attributes.putAll(attributes);
        queues.put(name, queue);
        return WireTree.object().put("QueueUrl", queueUrl(name));
    }

    /** The value a queue reports for a settable attribute (its own or the default). */
    private static String currentValue(Queue queue, String attribute) {
        if (SETTABLE.containsKey(attribute)) {
            return Long.toString(queue.number(attribute));
        }
        return queue.attributes.get(attribute);
    }

    /** The attributes of CreateQueue or SetQueueAttributes, checked as SQS checks them. */
    private static Map<String, String> checkedAttributes(JsonNode attributes) {
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> a : attributes.properties()) {
            String name = a.getKey();
            String value = a.getValue().asText();
            if (SETTABLE.containsKey(name)) {
                long[] range = SETTABLE.get(name);
                long number;
                try {
                    number = Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    throw invalidAttributeValue(name);
                }
                if (number < range[0] || number > range[1]) {
                    throw invalidAttributeValue(name);
                }
                checked.put(name, Long.toString(number));
            } else if (name.equals("Policy") || name.equals("SqsManagedSseEnabled")) {
                checked.put(name, value); // kept and reported, not enforced
            } else if (QUEUE_ATTRIBUTES.contains(name) && !name.startsWith("Approximate") && !name.equals("QueueArn")
                    && !name.endsWith("Timestamp")) {
                throw AwsError.notImplemented("the queue attribute " + name + " (dead-letter queues, FIFO queues and"
                        + " encryption are not simulated)", "leave it out; settable here: " + new TreeMap<>(SETTABLE).keySet()
                        + ", Policy");
            } else {
                throw new AwsError("InvalidAttributeName", "Unknown Attribute " + name + ".", 400, "InvalidAttributeName");
            }
        }
        return checked;
    }

    private JsonNode getQueueUrl(JsonNode input) {
        String name = required(input, "QueueName");
        String owner = optionalText(input, "QueueOwnerAWSAccountId", accountId);
        if (!owner.equals(accountId) || !queues.containsKey(name)) {
            throw noQueue(name);
        }
        return WireTree.object().put("QueueUrl", queueUrl(name));
    }

    private JsonNode listQueues(JsonNode input) {
        String prefix = optionalText(input, "QueueNamePrefix", "");
        Integer max = input.has("MaxResults") ? input.get("MaxResults").asInt() : null;
        if (max != null && (max < 1 || max > 1000)) {
            throw invalidParameter("Value " + max + " for parameter MaxResults is invalid. Reason: MaxResults must be an"
                    + " integer between 1 and 1000.");
        }
        List<String> urls = queues.keySet().stream().filter(n -> n.startsWith(prefix)).map(this::queueUrl).toList();
        ObjectNode answer = WireTree.object();
        if (max == null) {
            urls.stream().limit(1000).forEach(answer.putArray("QueueUrls")::add);
            return urls.isEmpty() ? WireTree.object() : answer;
        }
        Page<String> page = Page.of(urls, max, optionalText(input, "NextToken", null), "InvalidParameterValue");
        page.items().forEach(answer.putArray("QueueUrls")::add);
        if (page.nextToken() != null) {
            answer.put("NextToken", page.nextToken());
        }
        return answer;
    }

    private JsonNode getQueueAttributes(JsonNode input) {
        Queue queue = queue(input);
        List<String> names = textList(input, "AttributeNames");
        for (String name : names) {
            if (!name.equals("All") && !QUEUE_ATTRIBUTES.contains(name)) {
                throw new AwsError("InvalidAttributeName", "Unknown Attribute " + name + ".", 400, "InvalidAttributeName");
            }
        }
        Map<String, String> all = attributes(queue);
        ObjectNode answer = WireTree.object();
        if (names.isEmpty()) {
            return answer;
        }
        ObjectNode values = answer.putObject("Attributes");
        all.forEach((name, value) -> {
            if (names.contains("All") || names.contains(name)) {
                values.put(name, value);
            }
        });
        return answer;
    }

    /** Every attribute the queue has, as GetQueueAttributes with All shows them. */
    private Map<String, String> attributes(Queue queue) {
        expire(queue);
        Instant now = now();
        int visible = 0;
        int inFlight = 0;
        int delayed = 0;
        for (Message m : queue.messages) {
            if (!m.visibleAt.isAfter(now)) {
                visible++;
            } else if (m.receiveCount > 0) {
                inFlight++;
            } else {
                delayed++;
            }
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("QueueArn", queue.arn);
        all.put("ApproximateNumberOfMessages", Integer.toString(visible));
        all.put("ApproximateNumberOfMessagesNotVisible", Integer.toString(inFlight));
        all.put("ApproximateNumberOfMessagesDelayed", Integer.toString(delayed));
        all.put("CreatedTimestamp", Long.toString(queue.created.getEpochSecond()));
        all.put("LastModifiedTimestamp", Long.toString(queue.modified.getEpochSecond()));
        for (String name : new TreeMap<>(SETTABLE).keySet()) {
            all.put(name, Long.toString(queue.number(name)));
        }
        if (queue.attributes.containsKey("Policy")) {
            all.put("Policy", queue.attributes.get("Policy"));
        }
        all.put("SqsManagedSseEnabled", queue.attributes.getOrDefault("SqsManagedSseEnabled", "true"));
        return all;
    }

    private JsonNode setQueueAttributes(JsonNode input) {
        Queue queue = queue(input);
        if (!has(input, "Attributes")) {
            throw missing("Attributes");
        }
        queue.attributes.putAll(checkedAttributes(input.get("Attributes")));
        queue.modified = now();
        return WireTree.object();
    }

    private JsonNode sendMessage(JsonNode input) {
        Queue queue = queue(input);
        String body = input.path("MessageBody").asText("");
        if (body.isEmpty()) {
            throw missing("MessageBody");
        }
        Map<String, MessageAttribute> attributes = messageAttributes(input.path("MessageAttributes"));
        Integer delay = input.has("DelaySeconds") && !input.get("DelaySeconds").isNull() ? input.get("DelaySeconds").asInt() : null;
        if (delay != null && (delay < 0 || delay > 900)) {
            throw invalidParameter("Value " + delay + " for parameter DelaySeconds is invalid. Reason: DelaySeconds must be"
                    + " >= 0 and <= 900.");
        }
        if (has(input, "MessageGroupId") || has(input, "MessageDeduplicationId")) {
            throw invalidParameter("The request include parameter that is not valid for this queue type. Reason:"
                    + " MessageGroupId and MessageDeduplicationId are for FIFO queues");
        }
        Message message = enqueue(queue, body, attributes, delay == null ? queue.number("DelaySeconds") : delay, accountId);
        ObjectNode answer = WireTree.object().put("MD5OfMessageBody", MessageAttribute.md5OfBody(body));
        String md5 = MessageAttribute.md5OfAttributes(attributes);
        if (md5 != null) {
            answer.put("MD5OfMessageAttributes", md5);
        }
        return answer.put("MessageId", message.id);
    }

    private Message enqueue(Queue queue, String body, Map<String, MessageAttribute> attributes, long delaySeconds,
                            String senderId) {
        int invalid = body.codePoints().filter(c -> !(c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF))).findFirst().orElse(-1);
        if (invalid >= 0) {
            throw new AwsError("InvalidMessageContents", String.format("Invalid characters found. Valid unicode characters"
                    + " are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF; this message has"
                    + " U+%04X", invalid), 400, "InvalidMessageContents");
        }
        long size = body.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttribute> a : attributes.entrySet()) {
            size += a.getValue().size(a.getKey());
        }
        long max = queue.number("MaximumMessageSize");
        if (size > max) {
            throw invalidParameter("One or more parameters are invalid. Reason: Message must be shorter than " + max
                    + " bytes.");
        }
        Instant now = now();
        Message message = new Message(UUID.randomUUID().toString(), body, Map.copyOf(attributes), now, senderId,
                now.plusSeconds(delaySeconds));
        queue.messages.add(message);
        signalArrival();
        return message;
    }

    /** {@code MessageAttributes}: name to {DataType, StringValue | BinaryValue (base64)}, at most 10. */
    private static Map<String, MessageAttribute> messageAttributes(JsonNode map) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        if (map.size() > 10) {
            throw invalidParameter("Number of message attributes [" + map.size() + "] exceeds the allowed maximum [10].");
        }
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (!name.matches(ATTRIBUTE_NAME) || name.startsWith(".") || name.endsWith(".") || name.contains("..")
                    || name.toLowerCase(java.util.Locale.ROOT).startsWith("aws.")
                    || name.toLowerCase(java.util.Locale.ROOT).startsWith("amazon.")) {
                throw invalidParameter("Message attribute name '" + name + "' is invalid: letters, digits, '_', '-' and"
                        + " '.', at most 256, not starting or ending with a period, no two periods in a row, not starting"
                        + " with AWS. or Amazon.");
            }
            String type = value.path("DataType").asText("");
            if (!type.matches("(String|Number|Binary)(\\..+)?")) {
                throw invalidParameter("The type of message (user) attribute '" + name + "' is invalid. You must use only"
                        + " the following supported type prefixes: Binary, Number, String.");
            }
            if (has(value, "StringListValues") || has(value, "BinaryListValues")) {
                throw AwsError.notImplemented("list message attribute values", "send StringValue or BinaryValue");
            }
            MessageAttribute attribute;
            if (type.startsWith("Binary")) {
                if (!has(value, "BinaryValue")) {
                    throw invalidParameter("Message (user) attribute '" + name + "' must contain a non-empty value of"
                            + " message attribute type '" + type + "'.");
                }
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(value.get("BinaryValue").asText());
                } catch (IllegalArgumentException e) {
                    throw invalidParameter("Message (user) attribute '" + name + "' has a BinaryValue that is not base64.");
                }
                attribute = new MessageAttribute(type, null, bytes);
            } else {
                String text = value.path("StringValue").asText("");
                if (text.isEmpty()) {
                    throw invalidParameter("Message (user) attribute '" + name + "' must contain a non-empty value of"
                            + " message attribute type '" + type + "'.");
                }
                if (type.startsWith("Number")) {
                    try {
                        new java.math.BigDecimal(text.trim());
                    } catch (NumberFormatException e) {
                        throw invalidParameter("Can't cast the value of message (user) attribute '" + name + "' to a"
                                + " number.");
                    }
                }
                attribute = new MessageAttribute(type, text, null);
            }
            attributes.put(name, attribute);
        }
        return attributes;
    }

    /** ReceiveMessage: at once when {@code first}; a long poll that may wait is noted for {@link #invoke}. */
    private JsonNode receiveMessage(JsonNode input, boolean first) {
        Queue queue = queue(input);
        int max = intMember(input, "MaxNumberOfMessages", 1);
        if (max < 1 || max > 10) {
            throw invalidParameter("Value " + max + " for parameter MaxNumberOfMessages is invalid. Reason: Must be between"
                    + " 1 and 10, if provided.");
        }
        Integer visibility = input.has("VisibilityTimeout") && !input.get("VisibilityTimeout").isNull()
                ? input.get("VisibilityTimeout").asInt() : null;
        if (visibility != null && (visibility < 0 || visibility > 43_200)) {
            throw invalidParameter("Value " + visibility + " for parameter VisibilityTimeout is invalid. Reason: Must be"
                    + " >= 0 and <= 43200, if provided.");
        }
        int wait = intMember(input, "WaitTimeSeconds", (int) queue.number("ReceiveMessageWaitTimeSeconds"));
        if (wait < 0 || wait > MAX_WAIT_SECONDS) {
            throw invalidParameter("Value " + wait + " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and"
                    + " <= 20, if provided.");
        }
        List<String> systemNames = new ArrayList<>(textList(input, "MessageSystemAttributeNames"));
        systemNames.addAll(textList(input, "AttributeNames"));
        for (String name : systemNames) {
            if (!SYSTEM_ATTRIBUTES.contains(name) && !QUEUE_ATTRIBUTES.contains(name)) {
                throw new AwsError("InvalidAttributeName", "Unknown Attribute " + name + ".", 400, "InvalidAttributeName");
            }
        }
        List<String> attributeNames = textList(input, "MessageAttributeNames");
        List<Message> taken = take(queue, max, visibility);
        ObjectNode answer = WireTree.object();
        ArrayNode list = answer.putArray("Messages");
        for (Message m : taken) {
            ObjectNode shape = list.addObject().put("MessageId", m.id).put("ReceiptHandle", m.receiptHandle)
                    .put("MD5OfBody", MessageAttribute.md5OfBody(m.body)).put("Body", m.body);
            ObjectNode system = WireTree.object();
            boolean all = systemNames.contains("All");
            putIf(system, all || systemNames.contains("SenderId"), "SenderId", m.senderId);
            putIf(system, all || systemNames.contains("SentTimestamp"), "SentTimestamp", Long.toString(m.sent.toEpochMilli()));
            putIf(system, all || systemNames.contains("ApproximateReceiveCount"), "ApproximateReceiveCount",
                    Integer.toString(m.receiveCount));
            putIf(system, all || systemNames.contains("ApproximateFirstReceiveTimestamp"), "ApproximateFirstReceiveTimestamp",
                    Long.toString(m.firstReceived.toEpochMilli()));
            if (!system.isEmpty()) {
                shape.set("Attributes", system);
            }
            Map<String, MessageAttribute> returned = selected(m.attributes, attributeNames);
            if (!returned.isEmpty()) {
                shape.put("MD5OfMessageAttributes", MessageAttribute.md5OfAttributes(returned));
                ObjectNode attributes = shape.putObject("MessageAttributes");
                returned.forEach((name, a) -> {
                    ObjectNode value = attributes.putObject(name);
                    if (a.binaryValue() != null) {
                        value.put("BinaryValue", Base64.getEncoder().encodeToString(a.binaryValue()));
                    } else {
                        value.put("StringValue", a.stringValue());
                    }
                    value.put("DataType", a.dataType());
                });
            }
        }
        if (first && taken.isEmpty() && wait > 0) {
            pendingPoll.set(new LongPoll(queueUrl(queue.name), input, System.nanoTime() + TimeUnit.SECONDS.toNanos(wait),
                    arrivals));
        }
        return answer;
    }

    private static void putIf(ObjectNode node, boolean wanted, String name, String value) {
        if (wanted) {
            node.put(name, value);
        }
    }

    /** The attributes {@code MessageAttributeNames} asks for: {@code All}, {@code .*}, {@code prefix.*} or names. */
    private static Map<String, MessageAttribute> selected(Map<String, MessageAttribute> attributes, List<String> names) {
        Map<String, MessageAttribute> selected = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            for (String wanted : names) {
                if (wanted.equals("All") || wanted.equals(".*") || wanted.equals(name)
                        || (wanted.endsWith(".*") && name.startsWith(wanted.substring(0, wanted.length() - 1)))) {
                    selected.put(name, value);
                    break;
                }
            }
        });
        return selected;
    }

    /** Up to {@code max} visible messages, oldest first, made invisible for the visibility timeout, with new handles. */
    private List<Message> take(Queue queue, int max, Integer visibilitySeconds) {
        expire(queue);
        Instant now = now();
        long timeout = visibilitySeconds == null ? queue.number("VisibilityTimeout") : visibilitySeconds;
        List<Message> taken = new ArrayList<>();
        for (Message m : queue.messages) {
            if (taken.size() == max) {
                break;
            }
            if (!m.visibleAt.isAfter(now)) {
                m.receiveCount++;
                if (m.firstReceived == null) {
                    m.firstReceived = now;
                }
                m.visibleAt = now.plusSeconds(timeout);
                m.receiptHandle = receiptHandle(queue, m);
                taken.add(m);
            }
        }
        return taken;
    }

    /** Drops messages older than the queue's retention period. */
    private void expire(Queue queue) {
        Instant oldest = now().minusSeconds(queue.number("MessageRetentionPeriod"));
        queue.messages.removeIf(m -> m.sent.isBefore(oldest));
    }

    private static String receiptHandle(Queue queue, Message message) {
        String text = queue.arn + " " + message.id + " " + message.receiveCount + " " + UUID.randomUUID();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The message a receipt handle of this queue names: null when deleted already; invalid handles are refused. */
    private Message byHandle(Queue queue, String handle, boolean[] latest) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.UTF_8).split(" ");
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 4 || !parts[0].equals(queue.arn)) {
            throw new AwsError("ReceiptHandleIsInvalid", "The input receipt handle \"" + handle + "\" is not a valid"
                    + " receipt handle.", 400, "ReceiptHandleIsInvalid");
        }
        for (Message m : queue.messages) {
            if (m.id.equals(parts[1])) {
                latest[0] = handle.equals(m.receiptHandle);
                return m;
            }
        }
        return null;
    }

    private JsonNode deleteMessage(JsonNode input) {
        Queue queue = queue(input);
        boolean[] latest = new boolean[1];
        Message message = byHandle(queue, required(input, "ReceiptHandle"), latest);
        if (message != null && latest[0]) {
            queue.messages.remove(message);
        }
        return WireTree.object();
    }

    private JsonNode changeMessageVisibility(JsonNode input) {
        Queue queue = queue(input);
        boolean[] latest = new boolean[1];
        Message message = byHandle(queue, required(input, "ReceiptHandle"), latest);
        if (!input.has("VisibilityTimeout")) {
            throw missing("VisibilityTimeout");
        }
        int timeout = input.get("VisibilityTimeout").asInt();
        if (timeout < 0 || timeout > 43_200) {
            throw invalidParameter("Value " + timeout + " for parameter VisibilityTimeout is invalid. Reason: Must be >= 0"
                    + " and <= 43200, if provided.");
        }
        if (message == null || !latest[0] || !message.visibleAt.isAfter(now())) {
            throw new AwsError("MessageNotInflight", "Message does not exist or is not available for visibility timeout"
                    + " change.", 400, "AWS.SimpleQueueService.MessageNotInflight");
        }
        message.visibleAt = now().plusSeconds(timeout);
        signalArrival();
        return WireTree.object();
    }

    /** The queue a request's {@code QueueUrl} names: {@code .../ACCOUNT/NAME}. */
    private Queue queue(JsonNode input) {
        String url = required(input, "QueueUrl");
        String path;
        try {
            path = URI.create(url.trim()).getPath();
        } catch (IllegalArgumentException e) {
            throw noQueue(url);
        }
        String[] parts = path == null ? new String[0] : path.replaceAll("^/+|/+$", "").split("/");
        Queue queue = parts.length == 2 && parts[0].equals(accountId) ? queues.get(parts[1]) : null;
        if (queue == null) {
            throw noQueue(url);
        }
        return queue;
    }

    private static int intMember(JsonNode input, String member, int fallback) {
        JsonNode value = input.get(member);
        return value == null || value.isNull() ? fallback : value.asInt();
    }

    private static String required(JsonNode input, String member) {
        String value = optionalText(input, member, "");
        if (value.isEmpty()) {
            throw missing(member);
        }
        return value;
    }

    private void signalArrival() {
        arrivalLock.lock();
        try {
            arrivals++;
            arrived.signalAll();
        } finally {
            arrivalLock.unlock();
        }
    }

    /** Waits until a message arrives after {@code seen}, or {@code nanos} pass. */
    private void awaitArrival(long seen, long nanos) throws InterruptedException {
        arrivalLock.lock();
        try {
            long left = nanos;
            while (arrivals == seen && left > 0) {
                left = arrived.awaitNanos(left);
            }
        } finally {
            arrivalLock.unlock();
        }
    }

    private static AwsError noQueue(String which) {
        return new AwsError("QueueDoesNotExist", "The specified queue does not exist (" + which + ").", 400,
                "AWS.SimpleQueueService.NonExistentQueue");
    }

    private static AwsError missing(String member) {
        return new AwsError("MissingParameter", "The request must contain the parameter " + member + ".", 400,
                "MissingParameter");
    }

    private static AwsError invalidParameter(String message) {
        return new AwsError("InvalidParameterValue", message, 400, "InvalidParameterValue");
    }

    private static AwsError invalidAttributeValue(String attribute) {
        return new AwsError("InvalidAttributeValue", "Invalid value for the parameter " + attribute + ".", 400,
                "InvalidAttributeValue");
    }
}
