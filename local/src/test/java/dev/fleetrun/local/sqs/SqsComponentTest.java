package dev.fleetrun.local.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.testing.MutableClock;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * SQS over AWS JSON 1.0 with the SDK for Java's {@code SqsClient} (whose interceptor checks every MD5 of bodies and
 * attributes): queues, messages, visibility timeouts and receipt handles on a clock the test moves, long polling in
 * real time, and AWS's errors with their Query codes.
 */
class SqsComponentTest {
    private static final Instant START = Instant.parse("2026-12-07T09:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final List<RecordedRequest> served = new CopyOnWriteArrayList<>();
    private SqsService sqs;
    private AwsServer server;
    private SqsClient client;

    @BeforeEach
    void start() {
        sqs = new SqsService(clock);
        server = AwsServer.start(0).onRequest(served::add);
        sqs.serveOn(server);
        client = LocalClients.sqs(server);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aQueueUrlHasTheEndpointsFormAndCreateQueueIsIdempotent() {
        String url = client.createQueue(b -> b.queueName("alerts")).queueUrl();
        assertEquals(server.endpoint() + "/123456789012/alerts", url);
        assertEquals(url, client.createQueue(b -> b.queueName("alerts")).queueUrl());
        assertEquals(url, client.getQueueUrl(b -> b.queueName("alerts")).queueUrl());
        assertEquals(List.of(url), client.listQueues().queueUrls());
        RecordedRequest request = served.get(0);
        assertEquals("AmazonSQS.CreateQueue", request.header("X-Amz-Target"));
        assertTrue(request.header("Content-Type").startsWith("application/x-amz-json-1.0"), request.header("Content-Type"));
    }

    @Test
    void aMessageIsReceivedWithItsAttributesAndDigestsThenDeletedWithItsReceiptHandle() {
        String url = client.createQueue(b -> b.queueName("alerts")).queueUrl();
        SendMessageResponse sent = client.sendMessage(b -> b.queueUrl(url).messageBody("{\"status\": \"BREACHED\"}")
                .messageAttributes(Map.of(
                        "runId", MessageAttributeValue.builder().dataType("String").stringValue("restart-web").build(),
                        "failed", MessageAttributeValue.builder().dataType("Number").stringValue("3").build(),
                        "blob", MessageAttributeValue.builder().dataType("Binary")
                                .binaryValue(SdkBytes.fromUtf8String("\u0001\u0002")).build())));
        assertEquals("52ff5ce54cffb2eab61bc8ffda8c555f", sent.md5OfMessageBody(), "the MD5 of the body, as md5sum gives it");

        List<Message> received = client.receiveMessage(b -> b.queueUrl(url).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertEquals(1, received.size());
        Message message = received.get(0);
        assertEquals(sent.messageId(), message.messageId());
        assertEquals("{\"status\": \"BREACHED\"}", message.body());
        assertEquals(sent.md5OfMessageAttributes(), message.md5OfMessageAttributes());
        assertEquals("restart-web", message.messageAttributes().get("runId").stringValue());
        assertEquals("\u0001\u0002", message.messageAttributes().get("blob").binaryValue().asUtf8String());
        assertEquals("1", message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        assertEquals(Long.toString(START.toEpochMilli()), message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP));

        client.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(List.of(), client.receiveMessage(b -> b.queueUrl(url)).messages());
        assertEquals("0", count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Test
    void aMessageNotDeletedComesBackAfterItsVisibilityTimeoutWithANewReceiptHandle() {
        String url = client.createQueue(b -> b.queueName("work").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60")))
                .queueUrl();
        client.sendMessage(b -> b.queueUrl(url).messageBody("one"));
        Message first = client.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
        assertEquals("0", count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals("1", count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));

        clock.advance(Duration.ofSeconds(59));
        assertEquals(List.of(), client.receiveMessage(b -> b.queueUrl(url)).messages(), "still invisible");
        clock.advance(Duration.ofSeconds(1));
        Message again = client.receiveMessage(b -> b.queueUrl(url).messageSystemAttributeNames(
                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().get(0);
        assertEquals(first.messageId(), again.messageId());
        assertNotEquals(first.receiptHandle(), again.receiptHandle());
        assertEquals("2", again.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));

        // The older handle succeeds and deletes nothing, as the SQS guide says; the latest one deletes.
        client.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()));
        assertEquals("1", count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        client.deleteMessage(b -> b.queueUrl(url).receiptHandle(again.receiptHandle()));
        assertEquals("0", count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void maxNumberOfMessagesBoundsABatchAndTheRequestsVisibilityTimeoutWins() {
        String url = client.createQueue(b -> b.queueName("batch")).queueUrl();
        for (int i = 1; i <= 12; i++) {
            String body = "m" + i;
            client.sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
        assertEquals(10, client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(5))
                .messages().size());
        assertEquals(List.of("m11", "m12"), client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10))
                .messages().stream().map(Message::body).toList());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(10, Integer.parseInt(count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)));
        SqsException tooMany = assertThrows(SqsException.class,
                () -> client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(11)));
        assertEquals("InvalidParameterValue", tooMany.awsErrorDetails().errorCode());
        assertTrue(tooMany.getMessage().contains("Must be between 1 and 10"), tooMany.getMessage());
    }

    @Test
    void aDelayedMessageIsCountedDelayedUntilItsDelayPasses() {
        String url = client.createQueue(b -> b.queueName("later")).queueUrl();
        client.sendMessage(b -> b.queueUrl(url).messageBody("soon").delaySeconds(30));
        assertEquals("1", count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
        assertEquals(List.of(), client.receiveMessage(b -> b.queueUrl(url)).messages());
        clock.advance(Duration.ofSeconds(30));
        assertEquals("soon", client.receiveMessage(b -> b.queueUrl(url)).messages().get(0).body());
    }

    @Test
    void aLongPollReturnsAsSoonAsAMessageArrivesAndDoesNotHoldUpOtherCalls() throws Exception {
        String url = client.createQueue(b -> b.queueName("poll")).queueUrl();
        long started = System.nanoTime();
        CompletableFuture<List<Message>> polling = CompletableFuture.supplyAsync(
                () -> client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(10)).messages());
        Thread.sleep(300);
        assertFalse(polling.isDone(), "the poll waits for a message");
        // Other calls are answered while the poll waits: the service's lock is not held.
        try (SqsClient other = LocalClients.sqs(server)) {
            assertEquals("0", other.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            other.sendMessage(b -> b.queueUrl(url).messageBody("arrived"));
        }
        List<Message> messages = polling.get(5, TimeUnit.SECONDS);
        assertEquals("arrived", messages.get(0).body());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void aLongPollOnAnEmptyQueueEndsEmptyAfterItsWait() {
        String url = client.createQueue(b -> b.queueName("quiet")).queueUrl();
        long started = System.nanoTime();
        assertEquals(List.of(), client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofMillis(900)) >= 0 && took.compareTo(Duration.ofSeconds(5)) < 0, took.toString());
    }

    @Test
    void getQueueAttributesAnswersEveryAttributeWithAll() {
        String url = client.createQueue(b -> b.queueName("described")).queueUrl();
        Map<QueueAttributeName, String> all = client.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertEquals("arn:aws:sqs:us-east-1:123456789012:described", all.get(QueueAttributeName.QUEUE_ARN));
        assertEquals("30", all.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        assertEquals("1048576", all.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE));
        assertEquals("345600", all.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD));
        assertEquals(Long.toString(START.getEpochSecond()), all.get(QueueAttributeName.CREATED_TIMESTAMP));
        assertEquals("0", all.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Test
    void visibilityCanBeChangedAndQueuesReconfiguredPurgedAndDeleted() {
        String url = client.createQueue(b -> b.queueName("ops")).queueUrl();
        client.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "600")));
        assertEquals("600", count(url, QueueAttributeName.VISIBILITY_TIMEOUT));
        client.sendMessage(b -> b.queueUrl(url).messageBody("retry me"));
        Message taken = client.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
        client.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(taken.receiptHandle()).visibilityTimeout(0));
        Message again = client.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
        assertEquals(taken.messageId(), again.messageId(), "visible again at once");
        SqsException notInFlight = assertThrows(SqsException.class, () -> client.changeMessageVisibility(b -> b
                .queueUrl(url).receiptHandle(taken.receiptHandle()).visibilityTimeout(10)));
        assertEquals("AWS.SimpleQueueService.MessageNotInflight", notInFlight.awsErrorDetails().errorCode());

        client.sendMessage(b -> b.queueUrl(url).messageBody("two"));
        client.purgeQueue(b -> b.queueUrl(url));
        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(), client.receiveMessage(b -> b.queueUrl(url)).messages());
        client.deleteQueue(b -> b.queueUrl(url));
        assertThrows(QueueDoesNotExistException.class, () -> client.getQueueUrl(b -> b.queueName("ops")));
        assertEquals(List.of(), client.listQueues().queueUrls());
    }

    @Test
    void errorsAreAwsCodesWithTheirQueryCodes() {
        QueueDoesNotExistException missing = assertThrows(QueueDoesNotExistException.class,
                () -> client.getQueueUrl(b -> b.queueName("nope")));
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", missing.awsErrorDetails().errorCode());
        assertThrows(QueueDoesNotExistException.class, () -> client.sendMessage(b -> b.queueUrl(server.endpoint()
                + "/123456789012/nope").messageBody("x")));

        String url = client.createQueue(b -> b.queueName("strict")).queueUrl();
        QueueNameExistsException exists = assertThrows(QueueNameExistsException.class, () -> client.createQueue(b -> b
                .queueName("strict").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5"))));
        assertEquals("QueueAlreadyExists", exists.awsErrorDetails().errorCode());
        ReceiptHandleIsInvalidException badHandle = assertThrows(ReceiptHandleIsInvalidException.class,
                () -> client.deleteMessage(b -> b.queueUrl(url).receiptHandle("not-a-handle")));
        assertEquals("ReceiptHandleIsInvalid", badHandle.awsErrorDetails().errorCode());
        assertThrows(InvalidAttributeNameException.class, () -> client.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNamesWithStrings("NoSuchAttribute")));
        SqsException fifo = assertThrows(SqsException.class, () -> client.createQueue(b -> b.queueName("orders.fifo")));
        assertEquals("NotImplementedLocally", fifo.awsErrorDetails().errorCode());
    }

    private String count(String url, QueueAttributeName name) {
        return client.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).attributes().get(name);
    }
}
