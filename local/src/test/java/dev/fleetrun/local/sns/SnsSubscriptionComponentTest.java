package dev.fleetrun.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetrun.local.sqs.SqsService;
import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.wire.AwsServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SNS subscriptions of SQS queues, both driven by the SDK's clients (SNS over AWS Query, SQS over AWS JSON 1.0): a
 * message published to the topic is read from the queue in SNS's JSON envelope, or as it was sent with raw delivery.
 */
class SnsSubscriptionComponentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T09:30:00Z");

    private SnsService sns;
    private SqsService sqs;
    private AwsServer server;
    private SnsClient snsClient;
    private SqsClient sqsClient;
    private String topic;
    private String queueUrl;
    private String queueArn;

    @BeforeEach
    void start() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        sqs = new SqsService(clock);
        sns = new SnsService(clock, null).deliverToQueues((arn, body, attributes) -> sqs.send(arn, body, attributes, "sns"));
        server = AwsServer.start(0).queryService(sns);
        sqs.serveOn(server);
        snsClient = LocalClients.sns(server);
        sqsClient = LocalClients.sqs(server);
        topic = snsClient.createTopic(b -> b.name("fleetrun-alerts")).topicArn();
        queueUrl = sqsClient.createQueue(b -> b.queueName("alerts")).queueUrl();
        queueArn = "arn:aws:sqs:us-east-1:123456789012:alerts";
    }

    @AfterEach
    void stop() {
        snsClient.close();
        sqsClient.close();
        server.close();
    }

    @Test
    void aPublishedMessageIsReadFromTheSubscribedQueueInSnsEnvelope() throws Exception {
        String subscription = snsClient.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn)).subscriptionArn();
        assertTrue(subscription.startsWith(topic + ":"), subscription);
        String id = snsClient.publish(b -> b.topicArn(topic).subject("fleetrun: run restart-web BREACHED")
                .message("{\"runId\": \"restart-web\"}").messageAttributes(Map.of("runId",
                        MessageAttributeValue.builder().dataType("String").stringValue("restart-web").build()))).messageId();

        Message message = sqsClient.receiveMessage(b -> b.queueUrl(queueUrl)).messages().get(0);
        JsonNode envelope = JSON.readTree(message.body());
        assertEquals(List.of("Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion",
                "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"), fieldNames(envelope));
        assertEquals("Notification", envelope.path("Type").asText());
        assertEquals(id, envelope.path("MessageId").asText());
        assertEquals(topic, envelope.path("TopicArn").asText());
        assertEquals("fleetrun: run restart-web BREACHED", envelope.path("Subject").asText());
        assertEquals("{\"runId\": \"restart-web\"}", envelope.path("Message").asText());
        assertEquals("2026-12-07T09:30:00.000Z", envelope.path("Timestamp").asText());
        assertEquals("1", envelope.path("SignatureVersion").asText());
        assertTrue(envelope.path("UnsubscribeURL").asText().endsWith("SubscriptionArn=" + subscription));
        assertEquals(JSON.readTree("{\"runId\": {\"Type\": \"String\", \"Value\": \"restart-web\"}}"),
                envelope.path("MessageAttributes"));
        assertTrue(message.messageAttributes().isEmpty(), "in the envelope, not on the SQS message");
    }

    @Test
    void rawDeliveryPutsTheMessageAndItsAttributesOnTheQueueAsTheyWereSent() {
        snsClient.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        snsClient.publish(b -> b.topicArn(topic).message("plain text alert").messageAttributes(Map.of(
                "severity", MessageAttributeValue.builder().dataType("String").stringValue("high").build())));
        Message message = sqsClient.receiveMessage(b -> b.queueUrl(queueUrl).messageAttributeNames("All")).messages().get(0);
        assertEquals("plain text alert", message.body());
        assertEquals("high", message.messageAttributes().get("severity").stringValue());
    }

    @Test
    void aJsonStructuredMessageDeliversItsSqsText() throws Exception {
        snsClient.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn));
        snsClient.publish(b -> b.topicArn(topic).messageStructure("json")
                .message("{\"default\": \"for everyone\", \"sqs\": \"for queues\"}"));
        Message message = sqsClient.receiveMessage(b -> b.queueUrl(queueUrl)).messages().get(0);
        assertEquals("for queues", JSON.readTree(message.body()).path("Message").asText());
    }

    @Test
    void subscriptionsAreListedAndAnUnsubscribedQueueGetsNothingMore() {
        String subscription = snsClient.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn)).subscriptionArn();
        assertEquals(subscription, snsClient.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn))
                .subscriptionArn(), "Subscribe again with the same attributes is the same subscription");
        List<Subscription> listed = snsClient.listSubscriptions().subscriptions();
        assertEquals(1, listed.size());
        assertEquals(queueArn, listed.get(0).endpoint());
        assertEquals("sqs", listed.get(0).protocol());
        assertEquals(listed, snsClient.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions());
        assertEquals("false", snsClient.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes()
                .get("RawMessageDelivery"));
        snsClient.setSubscriptionAttributes(b -> b.subscriptionArn(subscription).attributeName("RawMessageDelivery")
                .attributeValue("true"));
        assertEquals("true", snsClient.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes()
                .get("RawMessageDelivery"));

        snsClient.unsubscribe(b -> b.subscriptionArn(subscription));
        snsClient.publish(b -> b.topicArn(topic).message("nobody hears this"));
        assertTrue(sqsClient.receiveMessage(b -> b.queueUrl(queueUrl)).messages().isEmpty());
        assertTrue(snsClient.listSubscriptions().subscriptions().isEmpty());
    }

    @Test
    void aDeliveryToAQueueThatIsGoneIsDroppedAndKept() {
        snsClient.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:123456789012:gone"));
        String id = snsClient.publish(b -> b.topicArn(topic).message("lost")).messageId();
        assertEquals(1, sns.failedDeliveries().size());
        assertEquals(id, sns.failedDeliveries().get(0).messageId());
        assertTrue(sns.failedDeliveries().get(0).reason().contains("does not exist"), sns.failedDeliveries().get(0).reason());
    }

    @Test
    void subscribeRefusesWhatSnsRefusesAndWhatIsNotSimulated() {
        assertThrows(NotFoundException.class, () -> snsClient.subscribe(b -> b
                .topicArn("arn:aws:sns:us-east-1:123456789012:nope").protocol("sqs").endpoint(queueArn)));
        InvalidParameterException notAQueue = assertThrows(InvalidParameterException.class, () -> snsClient.subscribe(b -> b
                .topicArn(topic).protocol("sqs").endpoint(queueUrl)));
        assertTrue(notAQueue.getMessage().contains("SQS endpoint ARN"), notAQueue.getMessage());
        assertThrows(InvalidParameterException.class, () -> snsClient.subscribe(b -> b.topicArn(topic).protocol("pigeon")
                .endpoint("x")));
        SnsException email = assertThrows(SnsException.class, () -> snsClient.subscribe(b -> b.topicArn(topic)
                .protocol("email").endpoint("ops@example.com")));
        assertEquals("NotImplementedLocally", email.awsErrorDetails().errorCode());
        assertThrows(InvalidParameterException.class, () -> snsClient.subscribe(b -> b.topicArn(topic).protocol("sqs")
                .endpoint(queueArn).attributes(Map.of("RawMessageDelivery", "maybe"))));
        assertThrows(NotFoundException.class, () -> snsClient.unsubscribe(b -> b.subscriptionArn(topic
                + ":00000000-0000-0000-0000-000000000000")));
        assertFalse(sns.subscriptions().stream().anyMatch(s -> s.protocol().equals("email")));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
